import type { Kysely, Transaction } from 'kysely';
import type { NewOrganisation, Schema } from '../../db/schema.js';
import { containsPattern } from '../../shared/form.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export const findOrganisation = (db: Db, id: string) =>
  db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();

export const findOrganisationByOdsCode = (db: Db, odsCode: string) =>
  db.selectFrom('organisation').select('id').where('ods_code', '=', odsCode).executeTakeFirst();

export function listOrganisations(db: Db, filter: { kind?: string; serviceId?: string; parentId?: string } = {}) {
  let query = db
    .selectFrom('organisation as o')
    .leftJoin('organisation as p', 'p.id', 'o.parent_id')
    .leftJoin('organisation as s', 's.id', 'o.service_id')
    .select(['o.id', 'o.name', 'o.kind', 'o.ods_code', 'o.postcode', 'o.disabled_at', 'o.created_at', 'o.service_id', 'o.parent_id', 'p.name as parent_name', 's.name as service_name'])
    .orderBy('o.kind')
    .orderBy('o.name');
  if (filter.kind) query = query.where('o.kind', '=', filter.kind);
  if (filter.serviceId) query = query.where('o.service_id', '=', filter.serviceId);
  if (filter.parentId) query = query.where('o.parent_id', '=', filter.parentId);
  return query.execute();
}

export async function insertOrganisation(db: Db, values: NewOrganisation): Promise<string> {
  const row = await db.insertInto('organisation').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function setOwnService(db: Db, id: string): Promise<void> {
  await db.updateTable('organisation').set({ service_id: id }).where('id', '=', id).execute();
}

export const findUser = (db: Db, id: string) =>
  db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'created_at', 'last_sign_in_at', 'disabled_at', 'password_hash'])
    .where('id', '=', id)
    .executeTakeFirst();

export const findUserIdByEmail = (db: Db, email: string) =>
  db
    .selectFrom('app_user')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();

export function listUsers(db: Db, filter: { organisationId?: string; serviceId?: string; search?: string; limit: number }) {
  let query = db
    .selectFrom('app_user as u')
    .select(['u.id', 'u.email', 'u.display_name', 'u.disabled_at', 'u.last_sign_in_at', 'u.password_hash'])
    .orderBy('u.display_name')
    .limit(filter.limit);
  if (filter.organisationId || filter.serviceId) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('membership as m')
          .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
          .select('m.id')
          .whereRef('m.user_id', '=', 'u.id')
          .where('m.removed_at', 'is', null)
          .$if(Boolean(filter.organisationId), (q) => q.where('m.organisation_id', '=', filter.organisationId!))
          .$if(Boolean(filter.serviceId), (q) => q.where('o.service_id', '=', filter.serviceId!)),
      ),
    );
  }
  if (filter.search) {
    const pattern = containsPattern(filter.search);
    query = query.where((eb) => eb.or([eb('u.display_name', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
  }
  return query.execute();
}

export async function insertUser(db: Db, values: { email: string; display_name: string }): Promise<string> {
  const row = await db.insertInto('app_user').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export const listMemberships = (db: Db, userId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.role', 'm.created_at', 'o.id as organisation_id', 'o.name as organisation_name', 'o.kind as organisation_kind', 'o.service_id'])
    .where('m.user_id', '=', userId)
    .where('m.removed_at', 'is', null)
    .orderBy('o.name')
    .execute();

export const findActiveMembership = (db: Db, membershipId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.user_id', 'm.role', 'o.id as organisation_id', 'o.service_id'])
    .where('m.id', '=', membershipId)
    .where('m.removed_at', 'is', null)
    .executeTakeFirst();

export const findMembership = (db: Db, membershipId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.id', 'm.user_id', 'm.role', 'm.removed_at', 'o.service_id'])
    .where('m.id', '=', membershipId)
    .executeTakeFirst();

export const findDuplicateMembership = (db: Db, userId: string, organisationId: string, role: string) =>
  db
    .selectFrom('membership')
    .select('id')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .where('role', '=', role)
    .where('removed_at', 'is', null)
    .executeTakeFirst();

export async function insertMembership(db: Db, values: { user_id: string; organisation_id: string; role: string }): Promise<string> {
  const row = await db.insertInto('membership').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function removeMembership(db: Db, membershipId: string): Promise<void> {
  await db.updateTable('membership').set({ removed_at: new Date() }).where('id', '=', membershipId).execute();
}

export async function setUserDisabled(db: Db, userId: string, disabled: boolean): Promise<void> {
  await db.updateTable('app_user').set({ disabled_at: disabled ? new Date() : null }).where('id', '=', userId).execute();
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string | null): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function insertPasswordToken(
  db: Db,
  values: { token_hash: string; user_id: string; purpose: 'invite' | 'reset'; created_by: string | null; expires_at: Date },
): Promise<void> {
  await db.insertInto('password_token').values(values).execute();
}

/** Marks every unused link of the user as used, so only the newest (or none) works. */
export async function usePasswordTokens(db: Db, userId: string): Promise<void> {
  await db.updateTable('password_token').set({ used_at: new Date() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

export const findPasswordToken = (db: Db, tokenHash: string) =>
  db
    .selectFrom('password_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select(['t.user_id', 't.purpose', 't.expires_at', 't.used_at', 'u.email', 'u.display_name', 'u.disabled_at'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();

export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

export const listApiTokens = (db: Db, userId: string) =>
  db
    .selectFrom('api_token as t')
    .innerJoin('membership as m', 'm.id', 't.membership_id')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['t.id', 't.name', 't.token_prefix', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at', 'm.role', 'o.name as organisation_name'])
    .where('m.user_id', '=', userId)
    .orderBy('t.created_at', 'desc')
    .execute();

export async function insertApiToken(
  db: Db,
  values: { membership_id: string; name: string; token_hash: string; token_prefix: string; created_by: string; expires_at: Date | null },
): Promise<string> {
  const row = await db.insertInto('api_token').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export const findApiToken = (db: Db, id: string) =>
  db
    .selectFrom('api_token as t')
    .innerJoin('membership as m', 'm.id', 't.membership_id')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['t.id', 't.revoked_at', 'm.user_id', 'o.service_id'])
    .where('t.id', '=', id)
    .executeTakeFirst();

export async function revokeApiToken(db: Db, id: string): Promise<void> {
  await db.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', id).execute();
}

/** The services a user works in, through their memberships: whose managers may see their audit trail. */
export const userServiceIds = async (db: Db, userId: string) =>
  (
    await db
      .selectFrom('membership as m')
      .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
      .select('o.service_id')
      .distinct()
      .where('m.user_id', '=', userId)
      .execute()
  ).map((row) => row.service_id);

export const listOrganisationMembers = (db: Db, organisationId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id as user_id', 'u.display_name', 'u.email', 'u.disabled_at', 'u.last_sign_in_at', 'm.role'])
    .where('m.organisation_id', '=', organisationId)
    .where('m.removed_at', 'is', null)
    .orderBy('u.display_name')
    .orderBy('m.role')
    .execute();
