import { sql, type ExpressionBuilder, type Insertable, type Selectable, type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { Schema } from '../../db/schema.js';
import type { EpisodeActionKind, EpisodeState } from './episode-lifecycle.js';
import { daysSince } from '../../db/days-since.js';

type Db = Kysely<Schema> | Transaction<Schema>;

export const SETTINGS_DEFAULTS = {
  standard_contacts: 6,
  standard_weeks: 12,
  standard_contact_minutes: 60,
  no_contact_days: 21,
  review_weeks: 6,
  follow_up_months: 12,
  referral_expiry_days: 14,
  signpost_follow_up_days: 14,
} as const;

type SettingsRow = Selectable<Schema['service_setting']>;

/** A service's settings row, or the defaults for a service that never changed them. */
const settingsOrDefaults = (serviceId: string, row: SettingsRow | null | undefined) =>
  row ? dated(row, ['updated_at']) : { service_id: serviceId, ...SETTINGS_DEFAULTS, updated_at: null };

export async function findSettings(db: Db, serviceId: string) {
  return settingsOrDefaults(serviceId, await db.selectFrom('service_setting').selectAll().where('service_id', '=', serviceId).executeTakeFirst());
}

export async function saveSettings(db: Db, serviceId: string, values: Record<keyof typeof SETTINGS_DEFAULTS, number>) {
  await db
    .insertInto('service_setting')
    .values({ service_id: serviceId, ...values })
    .onConflict((oc) => oc.column('service_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

export async function insertEpisode(db: Db, values: { serviceId: string; personId: string; referralId: string; linkWorkerUserId: string }) {
  const row = await db
    .insertInto('episode')
    .values({ service_id: values.serviceId, person_id: values.personId, referral_id: values.referralId, link_worker_user_id: values.linkWorkerUserId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertEpisodeAction(
  db: Db,
  values: {
    serviceId: string;
    episodeId: string;
    kind: EpisodeActionKind;
    actorUserId: string | null;
    occurredAt?: Date;
    holdingReason?: string | null;
    closeReason?: string | null;
    linkWorkerUserId?: string | null;
    snomedCode?: string | null;
    note?: string | null;
  },
) {
  await db
    .insertInto('episode_action')
    .values({
      service_id: values.serviceId,
      episode_id: values.episodeId,
      kind: values.kind,
      actor_user_id: values.actorUserId,
      ...(values.occurredAt ? { occurred_at: values.occurredAt } : {}),
      holding_reason: values.holdingReason ?? null,
      close_reason: values.closeReason ?? null,
      link_worker_user_id: values.linkWorkerUserId ?? null,
      snomed_code: values.snomedCode ?? null,
      note: values.note ?? null,
    })
    .execute();
}

export const listEpisodeActions = (db: Db, episodeId: string) =>
  db
    .selectFrom('episode_action as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('app_user as lw', 'lw.id', 'a.link_worker_user_id')
    .select([
      'a.id',
      'a.kind',
      'a.occurred_at',
      'a.holding_reason',
      'a.close_reason',
      'a.link_worker_user_id',
      'a.snomed_code',
      'a.note',
      'u.display_name as actor_name',
      'lw.display_name as link_worker_name',
    ])
    .where('a.episode_id', '=', episodeId)
    .orderBy('a.occurred_at')
    .orderBy('a.id')
    .execute();

/** An episode of the service, locked for update when `lock`. */
export const findEpisode = (db: Db, serviceId: string, episodeId: string, lock = false) => episodeQuery(db, serviceId, episodeId, lock).executeTakeFirst();

export function episodeQuery(db: Db, serviceId: string, episodeId: string, lock = false) {
  let query = db
    .selectFrom('episode as e')
    .innerJoin('app_user as lw', 'lw.id', 'e.link_worker_user_id')
    .selectAll('e')
    .select('lw.display_name as link_worker_name')
    .where('e.service_id', '=', serviceId)
    .where('e.id', '=', episodeId);
  if (lock) query = query.forUpdate('e');
  return query;
}

export const findEpisodeTenant = (db: Db, episodeId: string) =>
  db.selectFrom('episode').select(['id', 'service_id', 'person_id']).where('id', '=', episodeId).executeTakeFirst();

/** Writes the read model of the episode from its derived state and its contacts, and bumps the version. */
export async function refreshEpisode(db: Db, episodeId: string, state: EpisodeState) {
  await db
    .updateTable('episode')
    .set({
      status: state.status,
      first_contact_at: state.firstContactAt,
      holding_reason: state.holding?.reason ?? null,
      holding_since: state.holding?.startedAt ?? null,
      closed_at: state.closedAt,
      close_reason: state.closeReason,
      last_contact_at: sql<Date>`(select max(c.starts_at) from contact c where c.service_id = episode.service_id and c.episode_id = episode.id and c.status = 'attended')`,
      next_contact_at: sql<Date>`(select min(c.starts_at) from contact c where c.service_id = episode.service_id and c.episode_id = episode.id and c.status = 'booked' and c.starts_at >= now())`,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', episodeId)
    .execute();
}

export async function setLinkWorker(db: Db, episodeId: string, linkWorkerUserId: string) {
  await db.updateTable('episode').set({ link_worker_user_id: linkWorkerUserId }).where('id', '=', episodeId).execute();
}

export async function insertContact(db: Db, values: Insertable<Schema['contact']>) {
  const row = await db.insertInto('contact').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export const listContacts = (db: Db, serviceId: string, episodeId: string) =>
  db
    .selectFrom('contact as c')
    .leftJoin('organisation as p', 'p.id', 'c.practice_id')
    .leftJoin('app_user as u', 'u.id', 'c.link_worker_user_id')
    .select([
      'c.id',
      'c.starts_at',
      'c.mode',
      'c.duration_minutes',
      'c.venue',
      'c.status',
      'c.contact_type',
      'c.notes',
      'c.practice_id',
      'p.name as practice_name',
      'u.display_name as link_worker_name',
    ])
    .where('c.service_id', '=', serviceId)
    .where('c.episode_id', '=', episodeId)
    .orderBy('c.starts_at', 'desc')
    .execute();

export const findContact = (db: Db, serviceId: string, contactId: string) =>
  db.selectFrom('contact').selectAll().where('service_id', '=', serviceId).where('id', '=', contactId).executeTakeFirst();

export async function setContactOutcome(db: Db, contactId: string, values: { status: string; duration_minutes: number | null; notes: string | null }) {
  await db.updateTable('contact').set({ ...values, updated_at: new Date() }).where('id', '=', contactId).execute();
}

/** Contacts that count towards the standard offer: those that happened. */
/**
 * What recording a contact checks, in one read: when the referral came in, the service's standard
 * offer (its defaults when never set) and how many contacts the person has attended so far.
 */
export async function contactChecks(db: Db, serviceId: string, episodeId: string) {
  const row = await db
    .selectFrom('episode as e')
    .innerJoin('referral as r', 'r.id', 'e.referral_id')
    .select([
      'r.received_at',
      settingsJson(db, serviceId).as('settings'),
      sql<number>`(select count(*) from contact c where c.service_id = e.service_id and c.episode_id = e.id and c.status = 'attended')`.as('attended'),
    ])
    .where('e.service_id', '=', serviceId)
    .where('e.id', '=', episodeId)
    .executeTakeFirstOrThrow();
  return { receivedAt: row.received_at, settings: settingsOrDefaults(serviceId, row.settings), attended: Number(row.attended) };
}

export async function insertDiscretion(
  db: Db,
  values: { serviceId: string; episodeId: string; contactId: string | null; kind: 'extra_contact' | 'longer_contact' | 'beyond_period'; reason: string; userId: string },
) {
  await db
    .insertInto('discretion')
    .values({
      service_id: values.serviceId,
      episode_id: values.episodeId,
      contact_id: values.contactId,
      kind: values.kind,
      reason: values.reason,
      recorded_by_user_id: values.userId,
    })
    .execute();
}

export interface CaseloadFilter {
  serviceId: string;
  linkWorkerUserId?: string;
  status?: string;
  practiceId?: string;
  includeClosed?: boolean;
  limit: number;
}

/** Open episodes with what a caseload shows, from the episode read model: one indexed query. */
export const listCaseload = (db: Db, filter: CaseloadFilter) => caseloadQuery(db, filter).execute();

export function caseloadQuery(db: Db, filter: CaseloadFilter) {
  return db
    .selectFrom('episode as e')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .innerJoin('referral as r', 'r.id', 'e.referral_id')
    .innerJoin('app_user as lw', 'lw.id', 'e.link_worker_user_id')
    .leftJoin('organisation as practice', 'practice.id', 'p.registered_practice_id')
    .select([
      'e.id',
      'e.status',
      'e.opened_at',
      'e.first_contact_at',
      'e.holding_reason',
      'e.holding_since',
      'e.closed_at',
      'e.last_contact_at',
      'e.next_contact_at',
      'e.link_worker_user_id',
      'lw.display_name as link_worker_name',
      'p.id as person_id',
      'p.given_name',
      'p.family_name',
      'p.date_of_birth',
      'p.nhs_number',
      'practice.name as practice_name',
      'r.urgency',
      'r.received_at',
      daysSince(sql.ref('e.holding_since')).as('holding_days'),
      daysSince(sql.ref('e.last_contact_at')).as('days_since_contact'),
      sql<number>`(select count(*)::int from task t where t.service_id = e.service_id and t.episode_id = e.id and t.done_at is null and t.due_on <= current_date)`.as(
        'due_tasks',
      ),
      sql<number>`(select count(*)::int from connection c where c.service_id = e.service_id and c.episode_id = e.id and c.link_worker_unread)`.as('unread_updates'),
    ])
    .where('e.service_id', '=', filter.serviceId)
    .$if(Boolean(filter.linkWorkerUserId), (q) => q.where('e.link_worker_user_id', '=', filter.linkWorkerUserId!))
    .$if(Boolean(filter.status), (q) => q.where('e.status', '=', filter.status!))
    .$if(!filter.status && !filter.includeClosed, (q) => q.where('e.status', '<>', 'closed'))
    .$if(Boolean(filter.practiceId), (q) => q.where('p.registered_practice_id', '=', filter.practiceId!))
    .orderBy(sql`e.next_contact_at is null`)
    .orderBy('e.next_contact_at')
    .orderBy('e.opened_at')
    .limit(filter.limit);
}

/** The contacts of an episode that are still booked: the condition finding, cancelling and moving them share. */
const bookedIn = (serviceId: string, episodeId: string) => (eb: ExpressionBuilder<Schema, 'contact'>) =>
  eb.and([eb('service_id', '=', serviceId), eb('episode_id', '=', episodeId), eb('status', '=', 'booked')]);

/** The earliest of an episode's booked contacts whose time has come, if any: what happened is still to be recorded. */
export const findDueBookedContact = (db: Db, serviceId: string, episodeId: string, now: Date) =>
  db
    .selectFrom('contact')
    .select(['id', 'starts_at'])
    .where(bookedIn(serviceId, episodeId))
    .where('starts_at', '<=', now)
    .orderBy('starts_at')
    .limit(1)
    .executeTakeFirst();

/** Marks an episode's contacts booked after `after` as cancelled, saying why in their notes. */
export function cancelBookedContacts(db: Db, serviceId: string, episodeId: string, after: Date, why: string) {
  return db
    .updateTable('contact')
    .set({ status: 'cancelled', notes: sql<string>`concat_ws(E'\n', notes, ${why}::text)`, updated_at: new Date() })
    .where(bookedIn(serviceId, episodeId))
    .where('starts_at', '>', after)
    .execute();
}

/** Hands an episode's contacts booked after `after` from one link worker to another. */
export function moveBookedContacts(db: Db, serviceId: string, episodeId: string, from: string, to: string, after: Date) {
  return db
    .updateTable('contact')
    .set({ link_worker_user_id: to, updated_at: new Date() })
    .where(bookedIn(serviceId, episodeId))
    .where('link_worker_user_id', '=', from)
    .where('starts_at', '>', after)
    .execute();
}

/** A link worker's booked contacts from a point in time, across practices. */
export function listDiary(db: Db, serviceId: string, linkWorkerUserId: string, from: Date, to: Date) {
  return db
    .selectFrom('contact as c')
    .innerJoin('episode as e', 'e.id', 'c.episode_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .leftJoin('organisation as practice', 'practice.id', 'c.practice_id')
    .select(['c.id', 'c.starts_at', 'c.mode', 'c.duration_minutes', 'c.venue', 'c.contact_type', 'e.id as episode_id', 'p.given_name', 'p.family_name', 'practice.name as practice_name'])
    .where('c.service_id', '=', serviceId)
    .where('c.link_worker_user_id', '=', linkWorkerUserId)
    .where('c.status', '=', 'booked')
    .where('c.starts_at', '>=', from)
    .where('c.starts_at', '<', to)
    .orderBy('c.starts_at')
    .execute();
}

/** The service's settings row as JSON inside a larger read (null when it never changed them). */
const settingsJson = (db: Db, serviceId: string) =>
  jsonObjectFrom(db.selectFrom('service_setting').selectAll().where('service_id', '=', serviceId)).$castTo<SettingsRow | null>();

/** Turns the named fields of rows read as JSON (where timestamps arrive as text) back into dates. */
function dated<T, K extends keyof T>(row: T, fields: readonly K[]): T {
  const copy = { ...row };
  for (const field of fields) {
    const value = copy[field] as unknown;
    if (typeof value === 'string') copy[field] = new Date(value) as T[K];
  }
  return copy;
}

/**
 * The smaller parts of an episode's record in one statement (each as JSON): discretions, what
 * matters, the latest needs assessment, goals and their steps, and the service's standard offer.
 * One round trip instead of six; the episode page reads it beside the larger lists.
 */
export async function episodeParts(db: Db, serviceId: string, episodeId: string) {
  const row = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('discretion as d')
          .leftJoin('app_user as u', 'u.id', 'd.recorded_by_user_id')
          .select(['d.id', 'd.kind', 'd.reason', 'd.recorded_at', 'u.display_name as recorded_by'])
          .where('d.service_id', '=', serviceId)
          .where('d.episode_id', '=', episodeId)
          .orderBy('d.recorded_at'),
      ).as('discretions'),
      jsonArrayFrom(
        eb
          .selectFrom('what_matters as w')
          .leftJoin('app_user as u', 'u.id', 'w.recorded_by_user_id')
          .select(['w.what_matters', 'w.recorded_at', 'u.display_name as recorded_by'])
          .where('w.service_id', '=', serviceId)
          .where('w.episode_id', '=', episodeId)
          .orderBy('w.recorded_at', 'desc'),
      ).as('whatMatters'),
      jsonObjectFrom(
        eb.selectFrom('need_assessment').select(['priorities', 'assessed_at']).where('service_id', '=', serviceId).where('episode_id', '=', episodeId).orderBy('assessed_at', 'desc').limit(1),
      ).as('needs'),
      jsonArrayFrom(eb.selectFrom('goal').selectAll().where('service_id', '=', serviceId).where('episode_id', '=', episodeId).orderBy('created_at')).as('goals'),
      jsonArrayFrom(
        eb
          .selectFrom('goal_step as s')
          .innerJoin('goal as g', 'g.id', 's.goal_id')
          .selectAll('s')
          .where('g.service_id', '=', serviceId)
          .where('s.service_id', '=', serviceId)
          .where('g.episode_id', '=', episodeId)
          .orderBy('s.created_at'),
      ).as('steps'),
      settingsJson(db, serviceId).as('settings'),
    ])
    .executeTakeFirstOrThrow();
  return {
    discretions: row.discretions.map((d) => dated(d, ['recorded_at'])),
    whatMatters: row.whatMatters.map((w) => dated(w, ['recorded_at'])),
    needs: row.needs ? dated(row.needs, ['assessed_at']) : undefined,
    goals: row.goals.map((g) => dated(g, ['created_at', 'updated_at'])),
    steps: row.steps.map((step) => dated(step, ['created_at', 'done_at'])),
    settings: settingsOrDefaults(serviceId, row.settings),
  };
}
