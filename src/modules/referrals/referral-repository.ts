import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { ReferralActionKind } from './referral-lifecycle.js';
import { daysSince } from '../../db/days-since.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface NewReferral {
  serviceId: string;
  personId: string;
  reference: string;
  source: 'practice' | 'agency' | 'self';
  referringOrganisationId: string | null;
  referredByUserId: string | null;
  referrerName: string | null;
  referrerRole: string | null;
  referrerContact: string | null;
  needDomains: string[];
  helpWanted: string;
  risks: string | null;
  urgency: 'routine' | 'urgent';
  personAgreed: boolean;
  idempotencyKey: string | null;
}

export async function insertReferral(db: Db, referral: NewReferral): Promise<string> {
  const row = await db
    .insertInto('referral')
    .values({
      service_id: referral.serviceId,
      person_id: referral.personId,
      reference: referral.reference,
      source: referral.source,
      referring_organisation_id: referral.referringOrganisationId,
      referred_by_user_id: referral.referredByUserId,
      referrer_name: referral.referrerName,
      referrer_role: referral.referrerRole,
      referrer_contact: referral.referrerContact,
      need_domains: referral.needDomains,
      help_wanted: referral.helpWanted,
      risks: referral.risks,
      urgency: referral.urgency,
      person_agreed: referral.personAgreed,
      idempotency_key: referral.idempotencyKey,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setReferralStatus(db: Db, referralId: string, status: string) {
  await db.updateTable('referral').set({ status }).where('id', '=', referralId).execute();
}

export async function insertReferralAction(
  db: Db,
  action: {
    serviceId: string;
    referralId: string;
    kind: ReferralActionKind;
    actorUserId: string | null;
    linkWorkerUserId?: string | null;
    episodeId?: string | null;
    reason?: string | null;
    redirectedTo?: string | null;
  },
) {
  await db
    .insertInto('referral_action')
    .values({
      service_id: action.serviceId,
      referral_id: action.referralId,
      kind: action.kind,
      actor_user_id: action.actorUserId,
      link_worker_user_id: action.linkWorkerUserId ?? null,
      episode_id: action.episodeId ?? null,
      reason: action.reason ?? null,
      redirected_to: action.redirectedTo ?? null,
    })
    .execute();
}

export const findByIdempotencyKey = (db: Db, serviceId: string, key: string) =>
  db.selectFrom('referral').select(['id', 'reference']).where('service_id', '=', serviceId).where('idempotency_key', '=', key).executeTakeFirst();

const referralColumns = [
  'r.id',
  'r.service_id',
  'r.person_id',
  'r.reference',
  'r.source',
  'r.referring_organisation_id',
  'r.referrer_name',
  'r.referrer_role',
  'r.referrer_contact',
  'r.need_domains',
  'r.help_wanted',
  'r.risks',
  'r.urgency',
  'r.person_agreed',
  'r.received_at',
  'r.status',
] as const;

/** One referral, locked for update when `lock` (so two triage decisions cannot both win). */
export function findReferral(db: Db, referralId: string, lock = false) {
  let query = db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
    .leftJoin('app_user as u', 'u.id', 'r.referred_by_user_id')
    .leftJoin('organisation as pr', 'pr.id', 'p.registered_practice_id')
    .select([...referralColumns, 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.nhs_number', 'o.name as referring_organisation_name', 'u.display_name as referred_by_name'])
    // How to reach the person and where they are registered: triage often starts with a call to them.
    .select(['pr.name as practice_name', 'p.phone', 'p.email', 'p.contact_method', 'p.contact_times', 'p.interpreter_language', 'p.easy_read', 'p.accessibility_needs'])
    .where('r.id', '=', referralId);
  if (lock) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

export const listReferralActions = (db: Db, referralId: string) =>
  db
    .selectFrom('referral_action as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('app_user as lw', 'lw.id', 'a.link_worker_user_id')
    .select(['a.kind', 'a.occurred_at', 'a.reason', 'a.redirected_to', 'a.episode_id', 'a.link_worker_user_id', 'u.display_name as actor_name', 'lw.display_name as link_worker_name'])
    .where('a.referral_id', '=', referralId)
    .orderBy('a.occurred_at')
    .orderBy('a.id')
    .execute();

/** The service's waiting list: referrals with no decision yet, oldest first. */
export function listWaiting(db: Db, serviceId: string, options: { urgentOnly: boolean; limit: number }) {
  return db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('organisation as o', 'o.id', 'r.referring_organisation_id')
    .select(['r.id', 'r.reference', 'r.source', 'r.urgency', 'r.received_at', 'r.need_domains', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'o.name as referring_organisation_name'])
    .select(daysSince(sql.ref('r.received_at')).as('waiting_days'))
    .where('r.service_id', '=', serviceId)
    .where('r.status', '=', 'waiting')
    .$if(options.urgentOnly, (q) => q.where('r.urgency', '=', 'urgent'))
    .orderBy('r.received_at')
    .limit(options.limit)
    .execute();
}

/** An organisation's referrals with their latest decision and episode outcome: no case notes. */
export function listForOrganisation(db: Db, organisationId: string, limit: number) {
  return db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('episode as e', 'e.referral_id', 'r.id')
    .select([
      'r.id',
      'r.reference',
      'r.received_at',
      'r.urgency',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
      'r.status',
      'e.status as episode_status',
      'e.close_reason',
    ])
    .where('r.referring_organisation_id', '=', organisationId)
    .orderBy('r.received_at', 'desc')
    .limit(limit)
    .execute();
}

export const findEpisodeForReferral = (db: Db, referralId: string) =>
  db.selectFrom('episode').select(['id', 'link_worker_user_id']).where('referral_id', '=', referralId).executeTakeFirst();

export const isLinkWorkerOf = (db: Db, serviceId: string, userId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select('m.id')
    .where('m.organisation_id', '=', serviceId)
    .where('m.user_id', '=', userId)
    .where('m.role', '=', 'link_worker')
    .where('m.removed_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();

export const listLinkWorkers = (db: Db, serviceId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select([
      'u.id',
      'u.display_name',
      sql<number>`(select count(*)::int from episode e where e.service_id = ${serviceId} and e.link_worker_user_id = u.id and e.status <> 'closed')`.as(
        'open_episodes',
      ),
    ])
    .where('m.organisation_id', '=', serviceId)
    .where('m.role', '=', 'link_worker')
    .where('m.removed_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .orderBy('u.display_name')
    .execute();
