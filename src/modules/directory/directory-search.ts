import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';

/** An entry not verified for this long is shown as stale to link workers. */
export const STALE_AFTER_DAYS = 90;
export const PAGE_SIZE = 20;

export const DELIVERY = { in_person: 'In person', online: 'Online', phone: 'By phone', mixed: 'Mixed' } as const;
export const SERVICE_STATUS = { active: 'Active', paused: 'Paused', online_only: 'Online only', closed: 'Closed' } as const;

export interface SearchQuery {
  q: string;
  need: string;
  delivery: string;
  freeOnly: boolean;
  includeInactive: boolean;
  age: number | null;
  page: number;
}

export function readSearchQuery(input: unknown): { query: SearchQuery; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const q = text(input, 'q').slice(0, 200);
  const need = text(input, 'need');
  const delivery = text(input, 'delivery');
  const ageText = text(input, 'age');
  const pageText = text(input, 'page') || '1';
  if (need && !isOneOf(NEED_DOMAINS, need)) errors.need = 'Select a need from the list';
  if (delivery && !isOneOf(DELIVERY, delivery)) errors.delivery = 'Select how the service is delivered from the list';
  const age = ageText ? Number(ageText) : null;
  if (ageText && (!/^\d{1,3}$/.test(ageText) || age! > 130)) errors.age = 'Age must be a whole number of years, like 67';
  const page = /^\d{1,4}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  const flag = (field: string) => ['yes', 'true', 'on'].includes(text(input, field));
  return {
    query: {
      q,
      need: errors.need ? '' : need,
      delivery: errors.delivery ? '' : delivery,
      freeOnly: flag('free'),
      includeInactive: flag('inactive'),
      age: errors.age ? null : age,
      page,
    },
    errors,
  };
}

/** Directory search: English-stemmed free text ranked by relevance, with the link worker's filters. */
export async function searchServices(db: Kysely<Schema>, query: SearchQuery) {
  const tsquery = query.q ? sql`websearch_to_tsquery('english', ${query.q})` : null;
  const base = db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .$if(Boolean(tsquery), (qb) => qb.where(sql<boolean>`s.search @@ ${tsquery}`))
    .$if(Boolean(query.need), (qb) => qb.where(sql<boolean>`${query.need} = any(s.need_domains)`))
    .$if(!query.includeInactive, (qb) => qb.where('s.status', 'in', ['active', 'online_only']))
    .$if(query.freeOnly, (qb) => qb.where('s.free', '=', true))
    .$if(Boolean(query.delivery), (qb) => qb.where('s.delivery', '=', query.delivery))
    .$if(query.age !== null, (qb) =>
      qb
        .where((eb) => eb.or([eb('s.minimum_age', 'is', null), eb('s.minimum_age', '<=', query.age!)]))
        .where((eb) => eb.or([eb('s.maximum_age', 'is', null), eb('s.maximum_age', '>=', query.age!)])),
    );
  const [rows, total] = await Promise.all([
    base
      .select([
        's.id',
        's.name',
        's.description',
        's.status',
        's.need_domains',
        's.delivery',
        's.free',
        's.fees',
        's.last_verified_at',
        'o.name as organisation_name',
        (tsquery ? sql<number>`ts_rank(s.search, ${tsquery})` : sql<number>`0`).as('rank'),
      ])
      .orderBy(sql`rank`, 'desc')
      .orderBy('s.name')
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const now = Date.now();
  return {
    total: Number(total.n),
    rows: rows.map((row) => ({
      ...row,
      summary: row.description && row.description.length > 240 ? `${row.description.slice(0, 237).replace(/\s+\S*$/, '')}…` : row.description,
      stale: !row.last_verified_at || now - row.last_verified_at.getTime() > STALE_AFTER_DAYS * 86_400_000,
    })),
  };
}

export async function getService(db: Kysely<Schema>, id: string) {
  const service = isUuid(id)
    ? await db
        .selectFrom('directory_service as s')
        .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
        .selectAll('s')
        .select(['o.name as organisation_name', 'o.description as organisation_description', 'o.url as organisation_url'])
        .where('s.id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!service) throw notFound('service');
  return { ...service, stale: !service.last_verified_at || Date.now() - service.last_verified_at.getTime() > STALE_AFTER_DAYS * 86_400_000 };
}

/** Entries nobody has checked for STALE_AFTER_DAYS, oldest first: the editors' review queue. */
export function staleServices(db: Kysely<Schema>, options: { organisationId?: string; limit: number }) {
  return db
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select(['s.id', 's.name', 's.status', 's.last_verified_at', 'o.name as organisation_name'])
    .where('s.status', '<>', 'closed')
    .where((eb) => eb.or([eb('s.last_verified_at', 'is', null), eb('s.last_verified_at', '<', new Date(Date.now() - STALE_AFTER_DAYS * 86_400_000))]))
    .$if(Boolean(options.organisationId), (q) => q.where('o.organisation_id', '=', options.organisationId!))
    .orderBy(sql`s.last_verified_at nulls first`)
    .limit(options.limit)
    .execute();
}

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

/** The freshness report: for each organisation, how many of its open entries were checked in the last STALE_AFTER_DAYS. */
export async function freshnessByOrganisation(db: Kysely<Schema>) {
  const cutoff = new Date(Date.now() - STALE_AFTER_DAYS * 86_400_000);
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
