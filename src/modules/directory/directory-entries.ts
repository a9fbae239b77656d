import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../shared/form.js';
import { isStale } from './directory-search.js';
import { describeSchedule, nextSession } from './schedules.js';

/** The freshness report counts entries checked within this many days (the default review interval). */
export const FRESHNESS_DAYS = 90;

/** One directory entry with everything about it: where, when, who to contact, and its terms. */
export async function getService(db: Kysely<Schema>, id: string) {
  const [entry] = isUuid(id) ? await loadEntries(db, [id]) : [];
  if (!entry) throw notFound('service');
  return entry;
}

/** Entries in full, several at once (four queries however many): for a page, or an export in batches. */
export async function loadEntries(db: Kysely<Schema>, ids: string[]) {
  if (!ids.length) return [];
  const [services, locations, schedules, contacts, terms] = await Promise.all([
    db
      .selectFrom('directory_service as s')
      .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
      .selectAll('s')
      .select(['o.name as organisation_name', 'o.description as organisation_description', 'o.url as organisation_url', 'o.organisation_id as owner_organisation_id'])
      .where('s.id', 'in', ids)
      .execute(),
    db
      .selectFrom('directory_service_at_location as sal')
      .innerJoin('directory_location as l', 'l.id', 'sal.directory_location_id')
      .select(['sal.directory_service_id', 'sal.id as service_at_location_id', 'l.id', 'l.source_id', 'l.name', 'l.description', 'l.address_1', 'l.city', 'l.region', 'l.postcode', 'l.latitude', 'l.longitude', 'l.accessibility'])
      .where('sal.directory_service_id', 'in', ids)
      .orderBy('l.name')
      .execute(),
    db.selectFrom('directory_schedule').selectAll().where('directory_service_id', 'in', ids).orderBy('weekdays').orderBy('opens_at').execute(),
    db.selectFrom('directory_contact').selectAll().where('directory_service_id', 'in', ids).orderBy('name').execute(),
    db
      .selectFrom('directory_service_term as st')
      .innerJoin('directory_taxonomy_term as t', 't.id', 'st.directory_taxonomy_term_id')
      .innerJoin('directory_taxonomy as x', 'x.id', 't.directory_taxonomy_id')
      .select(['st.directory_service_id', 't.id', 't.code', 't.name', 't.description', 't.parent_id', 'x.id as taxonomy_id', 'x.name as taxonomy_name'])
      .where('st.directory_service_id', 'in', ids)
      .orderBy('t.description')
      .execute(),
  ]);
  const now = new Date();
  const of = <T extends { directory_service_id: string }>(rows: T[], id: string) => rows.filter((row) => row.directory_service_id === id);
  const byId = new Map(services.map((s) => [s.id, s]));
  return ids.flatMap((id) => {
    const service = byId.get(id);
    if (!service) return [];
    const places = of(locations, id);
    return [
      {
        ...service,
        stale: isStale(service.last_verified_at, service.review_every_days),
        locations: places,
        schedules: of(schedules, id).map((s) => {
          const rule = { freq: s.freq as 'WEEKLY' | 'MONTHLY', interval: s.interval, byday: s.byday, opensAt: s.opens_at, closesAt: s.closes_at, validFrom: s.valid_from, validTo: s.valid_to, dtstart: s.dtstart };
          return { ...s, words: describeSchedule(rule), next: nextSession(rule, now), location: places.find((l) => l.service_at_location_id === s.service_at_location_id) ?? null };
        }),
        contacts: of(contacts, id),
        terms: of(terms, id),
      },
    ];
  });
}

export type DirectoryEntry = Awaited<ReturnType<typeof loadEntries>>[number];

/** In SQL over `directory_service as s`: not checked within its own review interval. */
export const staleCondition = sql<boolean>`(s.last_verified_at is null or s.last_verified_at < now() - make_interval(days => s.review_every_days))`;

/** Entries unchecked for longer than their review interval, oldest first: the editors' review queue. */
export function staleServices(db: Kysely<Schema>, options: { organisationId?: string; limit: number }) {
  return db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select(['s.id', 's.name', 's.status', 's.last_verified_at', 's.review_every_days', 'o.name as organisation_name'])
    .where('s.status', '<>', 'closed')
    .where(staleCondition)
    .$if(Boolean(options.organisationId), (q) => q.where('o.organisation_id', '=', options.organisationId!))
    .orderBy(sql`s.last_verified_at nulls first`)
    .limit(options.limit)
    .execute();
}

/** A provider organisation's own entries, for its start page. */
export const ownEntries = (db: Kysely<Schema>, organisationId: string) =>
  db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select(['s.id', 's.name', 's.status', 's.last_verified_at'])
    .where('o.organisation_id', '=', organisationId)
    .orderBy('s.name')
    .limit(200)
    .execute();

/** Who owns an entry, for the policy: the Anchorpoint organisation linked to its directory organisation. */
export const serviceOwner = (db: Kysely<Schema>, id: string) =>
  db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select(['s.id', 'o.organisation_id'])
    .where('s.id', '=', id)
    .executeTakeFirst();

/** Records that someone has checked the entry is still right. */
export async function markVerified(db: Kysely<Schema>, actor: Actor, id: string, requestId: string) {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('directory_service').set({ last_verified_at: new Date(), verified_by: actor.displayName, updated_at: new Date() }).where('id', '=', id).execute();
    await writeAudit(trx, { actor, action: 'directory.verify', recordType: 'directory_service', recordId: id, serviceId: null, requestId });
  });
}

/** The freshness report: for each organisation, how many of its open entries were checked in the last FRESHNESS_DAYS. */
export async function freshnessByOrganisation(db: Kysely<Schema>) {
  const cutoff = new Date(Date.now() - FRESHNESS_DAYS * 86_400_000);
  const rows = await db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select([
      'o.id',
      'o.name',
      (eb) => eb.fn.countAll<number>().as('services'),
      sql<number>`count(*) filter (where s.last_verified_at >= ${cutoff})`.as('fresh'),
    ])
    .where('s.status', '<>', 'closed')
    .groupBy(['o.id', 'o.name'])
    .orderBy(sql`count(*) filter (where s.last_verified_at >= ${cutoff})::float / count(*)`)
    .orderBy('o.name')
    .execute();
  const total = rows.reduce((sum, row) => sum + Number(row.services), 0);
  const fresh = rows.reduce((sum, row) => sum + Number(row.fresh), 0);
  return {
    total,
    fresh,
    percent: total ? Math.round((fresh / total) * 100) : null,
    organisations: rows.map((row) => ({ ...row, services: Number(row.services), fresh: Number(row.fresh), percent: Math.round((Number(row.fresh) / Number(row.services)) * 100) })),
  };
}
