import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { notFound } from '../../platform/errors.js';
import { containsPattern, isUuid } from '../../shared/form.js';
import { loadEntries } from '../directory/directory-entries.js';
import { boxAround, distanceFrom, pageAndTotal, searchPage, searchStatement, type SearchStatement } from '../directory/directory-search.js';
import type { SearchQuery } from '../directory/search-query.js';
import { NEED_DOMAIN_TAXONOMY, taxonomyId } from '../directory/taxonomies.js';
import { checkPage, type OrukParams } from './oruk-query.js';
import { page, toOrganization, toService, toServiceSummary, toTaxonomy, toTaxonomyTerm, toLocation, type TermRow } from './oruk-mapping.js';

/** The read side of the Open Referral UK API: each function returns exactly the JSON to send. */

const termRows = (db: Kysely<Schema>) =>
  db
    .selectFrom('directory_taxonomy_term as t')
    .innerJoin('directory_taxonomy as x', 'x.id', 't.directory_taxonomy_id')
    .select(['t.id', 't.code', 't.name', 't.description', 't.parent_id', 'x.id as taxonomy_id', 'x.name as taxonomy_name']);

let needTermsCache: TermRow[] | undefined;
export async function needTerms(db: Kysely<Schema>): Promise<TermRow[]> {
  needTermsCache ??= await termRows(db).where('x.id', '=', taxonomyId(NEED_DOMAIN_TAXONOMY)).execute();
  return needTermsCache;
}

/** Several services in full, with a fixed number of queries however many (pages, exports). */
export async function fullServices(db: Kysely<Schema>, ids: string[]) {
  const entries = await loadEntries(db, ids);
  const organisationIds = [...new Set(entries.map((e) => e.directory_organisation_id))];
  const organisations = new Map(
    organisationIds.length
      ? (await db.selectFrom('directory_organisation').select(['id', 'name', 'description', 'url', 'email', 'logo']).where('id', 'in', organisationIds).execute()).map((o) => [o.id, o])
      : [],
  );
  const needs = await needTerms(db);
  return entries.map((entry) => toService(entry, organisations.get(entry.directory_organisation_id)!, needs));
}

export async function fullService(db: Kysely<Schema>, id: string) {
  const [service] = isUuid(id) ? await fullServices(db, [id]) : [];
  if (!service) throw notFound('service');
  return service;
}

/**
 * Runs a list query for the requested page. A page past the end has no rows to carry the window
 * count, so the first page is asked for to say where the end is.
 */
async function paged<R extends { total: number }>(params: OrukParams, run: (pageNumber: number, perPage: number) => Promise<R[]>) {
  const rows = await run(params.page, params.perPage);
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (!rows.length && params.page > 1) {
    const first = await run(1, 1);
    total = first[0] ? Number(first[0].total) : 0;
  }
  checkPage(params.page, total, params.perPage);
  return { rows, total };
}

/** /services' statement: the directory search with what an ORUK service summary carries besides. */
export const withSummaryColumns = (statement: SearchStatement) =>
  statement.select(['s.url', 's.email', 's.oruk_status', 's.accreditations', 's.minimum_age', 's.maximum_age', 's.alert']);

export async function listServices(db: Kysely<Schema>, params: OrukParams) {
  const { rows, total } = await searchPage(db, { ...params.query, page: params.page, perPage: params.perPage }, params.origin, params.search, (statement) =>
    withSummaryColumns(statement).execute(),
  );
  checkPage(params.page, total, params.perPage);
  const contents = params.full ? await fullServices(db, rows.map((row) => row.id)) : rows.map(toServiceSummary);
  return page(contents, total, params.page, params.perPage);
}

/** Services read a chunk at a time by a format=ndjson answer: a few queries each, whatever the total. */
const STREAM_CHUNK = 500;

/**
 * Every service matching, in name order, one ORUK record (summary, or in full with full=true) a line:
 * format=ndjson, for a harvester to take the whole directory in one call instead of 2,000 pages. Read in
 * chunks after the last name and id seen, so the database never counts or skips.
 */
export async function* streamServices(db: Kysely<Schema>, params: OrukParams): AsyncGenerator<string> {
  let after: { name: string; id: string } | null = null;
  for (;;) {
    const query: SearchQuery = { ...params.query, after, page: 1, perPage: STREAM_CHUNK };
    const rows = await withSummaryColumns(searchStatement(db, query, params.origin, params.search)).execute();
    if (!rows.length) return;
    const records = params.full ? await fullServices(db, rows.map((row) => row.id)) : rows.map(toServiceSummary);
    yield records.map((record) => `${JSON.stringify(record)}\n`).join('');
    // A short chunk is the last: no need to ask again to find that nothing follows.
    if (rows.length < STREAM_CHUNK) return;
    const last: { name: string; id: string } = rows[rows.length - 1]!;
    after = { name: last.name, id: last.id };
  }
}

export async function listServiceAtLocations(db: Kysely<Schema>, params: OrukParams) {
  const { origin, proximity } = params;
  const matching = (metres: number | null) =>
    db
      .selectFrom('directory_service_at_location as sal')
      .innerJoin('directory_location as l', 'l.id', 'sal.directory_location_id')
      .innerJoin('directory_service as s', 's.id', 'sal.directory_service_id')
      .$if(Boolean(params.search), (qb) => qb.where(sql<boolean>`s.search @@ websearch_to_tsquery('english', ${params.search})`))
      .$if(Boolean(params.query.need), (qb) => qb.where(sql<boolean>`s.need_domains @> array[${params.query.need}]::text[]`))
      .$if(Boolean(params.query.termId), (qb) =>
        qb.where((eb) => eb.exists(eb.selectFrom('directory_service_term as st').select(sql`1`.as('one')).whereRef('st.directory_service_id', '=', 's.id').where('st.directory_taxonomy_term_id', '=', params.query.termId))),
      )
      .$if(Boolean(params.query.organisationId), (qb) => qb.where('s.directory_organisation_id', '=', params.query.organisationId))
      .$if(params.query.modifiedAfter !== null, (qb) => qb.where('s.updated_at', '>=', params.query.modifiedAfter!))
      .$if(origin !== null && metres !== null, (qb) => {
        const box = boxAround(origin!, metres!);
        return qb
          .where('l.latitude', '>=', box.south)
          .where('l.latitude', '<=', box.north)
          .where('l.longitude', '>=', box.west)
          .where('l.longitude', '<=', box.east)
          .where(sql<boolean>`${distanceFrom(origin!)} <= ${metres}`);
      });
  const narrow = Boolean(params.search) || proximity !== null;
  const pageWithin = (metres: number | null, windowCount: boolean) =>
    matching(metres)
      .select([
        'sal.id',
        'sal.directory_service_id as service_id',
        'l.id as location_id',
        'l.name',
        'l.description',
        'l.address_1',
        'l.city',
        'l.region',
        'l.postcode',
        'l.latitude',
        'l.longitude',
        'l.accessibility',
        's.name as service_name',
        (windowCount ? sql<string | null>`count(*) over ()` : sql<string | null>`null::bigint`).as('total'),
      ])
      .$if(origin !== null, (qb) => qb.orderBy(sql`${distanceFrom(origin!)} nulls last`))
      // Best match first for words, as /services does; then name and service id, which the services' name
      // index gives in order for the first pages of a broad list.
      .$if(Boolean(params.search), (qb) => qb.orderBy(sql`ts_rank(s.search, websearch_to_tsquery('english', ${params.search}))`, 'desc'))
      .orderBy('s.name')
      .orderBy('s.id')
      .orderBy('sal.id')
      .limit(params.perPage)
      .offset((params.page - 1) * params.perPage)
      .execute();
  const everything = !params.search && !params.query.need && !params.query.termId && !params.query.organisationId && params.query.modifiedAfter === null && proximity === null;
  const countAll = async () =>
    Number(
      (
        await (everything ? db.selectFrom('directory_service_at_location as sal') : matching(proximity))
          .select(sql<string>`count(*)`.as('total'))
          .executeTakeFirstOrThrow()
      ).total,
    );

  const { rows, total } = await pageAndTotal(
    { narrow, nearestFirst: origin !== null, page: params.page, perPage: params.perPage },
    (within) => pageWithin(within === undefined ? proximity : within, within !== null),
    countAll,
  );
  checkPage(params.page, total, params.perPage);
  return page(
    rows.map((row) => ({ id: row.id, service_id: row.service_id, location_id: row.location_id, location: toLocation({ ...row, id: row.location_id }) })),
    total,
    params.page,
    params.perPage,
  );
}

export async function serviceAtLocation(db: Kysely<Schema>, id: string) {
  const row = isUuid(id) ? await db.selectFrom('directory_service_at_location').select(['id', 'directory_service_id']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('service at location');
  const service = await fullService(db, row.directory_service_id);
  const at = (service.service_at_locations as { id: string; location_id: string; location: unknown }[]).find((s) => s.id === id)!;
  return { id, service_id: row.directory_service_id, location_id: at.location_id, location: at.location, service };
}

export async function listOrganisations(db: Kysely<Schema>, params: OrukParams) {
  const { rows, total } = await paged(params, (pageNumber, perPage) =>
    db
      .selectFrom('directory_organisation')
      .select(['id', 'name', 'description', 'url', 'email', 'logo', sql<number>`count(*) over ()`.as('total')])
      .$if(Boolean(params.search), (qb) => qb.where('name', 'ilike', containsPattern(params.search)))
      .orderBy('name')
      .orderBy('id')
      .limit(perPage)
      .offset((pageNumber - 1) * perPage)
      .execute(),
  );
  return page(rows.map(toOrganization), total, params.page, params.perPage);
}

export async function organisation(db: Kysely<Schema>, id: string, withFullServices: boolean) {
  const row = isUuid(id) ? await db.selectFrom('directory_organisation').select(['id', 'name', 'description', 'url', 'email', 'logo']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('organization');
  const services = await db
    .selectFrom('directory_service')
    .select(['id', 'directory_organisation_id', 'name', 'description', 'url', 'email', 'oruk_status', 'fees', 'accreditations', 'minimum_age', 'maximum_age', 'last_verified_at', 'alert', 'updated_at'])
    .where('directory_organisation_id', '=', id)
    .orderBy('name')
    .execute();
  return {
    ...toOrganization(row),
    services: withFullServices ? await fullServices(db, services.map((s) => s.id)) : services.map(toServiceSummary),
  };
}

export async function listTaxonomies(db: Kysely<Schema>, params: OrukParams) {
  const { rows, total } = await paged(params, (pageNumber, perPage) =>
    db
      .selectFrom('directory_taxonomy')
      .select(['id', 'name', 'description', 'uri', 'version', sql<number>`count(*) over ()`.as('total')])
      .$if(Boolean(params.search), (qb) => qb.where('name', 'ilike', containsPattern(params.search)))
      .orderBy('name')
      .limit(perPage)
      .offset((pageNumber - 1) * perPage)
      .execute(),
  );
  return page(rows.map(toTaxonomy), total, params.page, params.perPage);
}

export async function taxonomy(db: Kysely<Schema>, id: string) {
  const row = isUuid(id) ? await db.selectFrom('directory_taxonomy').select(['id', 'name', 'description', 'uri', 'version']).where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('taxonomy');
  const terms = await termRows(db).where('x.id', '=', id).orderBy('t.description').execute();
  return { ...toTaxonomy(row), taxonomy_terms: terms.map(toTaxonomyTerm) };
}

export async function listTaxonomyTerms(db: Kysely<Schema>, params: OrukParams, filters: { taxonomyId: string; parentId: string; topOnly: boolean }) {
  const { rows, total } = await paged(params, (pageNumber, perPage) =>
    termRows(db)
      .select(sql<number>`count(*) over ()`.as('total'))
      .$if(Boolean(params.search), (qb) => qb.where('t.name', 'ilike', containsPattern(params.search)))
      .$if(Boolean(filters.taxonomyId), (qb) => qb.where('x.id', '=', filters.taxonomyId))
      .$if(Boolean(filters.parentId), (qb) => qb.where('t.parent_id', '=', filters.parentId))
      .$if(filters.topOnly, (qb) => qb.where('t.parent_id', 'is', null))
      .orderBy('x.name')
      .orderBy('t.description')
      .orderBy('t.id')
      .limit(perPage)
      .offset((pageNumber - 1) * perPage)
      .execute(),
  );
  return page(rows.map(toTaxonomyTerm), total, params.page, params.perPage);
}

export async function taxonomyTerm(db: Kysely<Schema>, id: string) {
  const row = isUuid(id) ? await termRows(db).where('t.id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('taxonomy term');
  return toTaxonomyTerm(row);
}
