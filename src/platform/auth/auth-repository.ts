import type { Kysely, Transaction } from 'kysely';
import { compiledOnce } from '../../db/compiled-once.js';
import type { Schema } from '../../db/schema.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export const userByEmailQuery = (db: Db, email: string) =>
  db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'password_hash', 'disabled_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()));

export const findUserByEmail = (db: Db, email: string) => userByEmailQuery(db, email).executeTakeFirst();

export const listActiveMemberships = (db: Db, userId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.role', 'o.id as organisation_id', 'o.name as organisation_name', 'o.kind as organisation_kind', 'o.service_id'])
    .where('m.user_id', '=', userId)
    .where('m.removed_at', 'is', null)
    .where('o.disabled_at', 'is', null)
    .orderBy('o.name')
    .orderBy('m.role')
    .execute();

/** Everything needed to turn a session cookie into an actor, in one indexed query. */
export const sessionActorQuery = (db: Db, idHash: string) =>
  db
    .selectFrom('session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .leftJoin('membership as m', (join) => join.onRef('m.id', '=', 's.membership_id').on('m.removed_at', 'is', null))
    .leftJoin('organisation as o', (join) => join.onRef('o.id', '=', 'm.organisation_id').on('o.disabled_at', 'is', null))
    .select([
      's.user_id',
      's.membership_id',
      's.last_seen_at',
      's.expires_at',
      'u.display_name',
      'u.disabled_at as user_disabled_at',
      'm.role',
      'o.id as organisation_id',
      'o.kind as organisation_kind',
      'o.name as organisation_name',
      'o.service_id',
      (eb) =>
        eb
          .selectFrom('membership as all_m')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('all_m.user_id', '=', 's.user_id')
          .where('all_m.removed_at', 'is', null)
          .as('membership_count'),
      (eb) =>
        eb
          .selectFrom('notification as n')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('n.user_id', '=', 's.user_id')
          .where('n.read_at', 'is', null)
          .as('unread_messages'),
    ])
    .where('s.id_hash', '=', idHash);

const compiledSessionActor = compiledOnce(sessionActorQuery);

export const findSessionActor = async (db: Db, idHash: string) => (await db.executeQuery(compiledSessionActor(db, idHash))).rows[0];

export const findTokenActor = (db: Db, tokenHash: string) =>
  db
    .selectFrom('api_token as t')
    .innerJoin('membership as m', 'm.id', 't.membership_id')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select([
      't.id as token_id',
      't.expires_at',
      't.revoked_at',
      't.last_used_at',
      'u.id as user_id',
      'u.display_name',
      'u.disabled_at as user_disabled_at',
      'm.id as membership_id',
      'm.role',
      'm.removed_at',
      'o.id as organisation_id',
      'o.kind as organisation_kind',
      'o.name as organisation_name',
      'o.service_id',
      'o.disabled_at as organisation_disabled_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
