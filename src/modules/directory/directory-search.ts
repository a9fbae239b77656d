import { sql, type Kysely, type RawBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { Schema } from '../../db/schema.js';
import type { Point } from '../../shared/outcodes.js';
import { earliestSession, TIMES_OF_DAY } from './schedules.js';
import { NEED_DOMAIN_TAXONOMY, OPEN_ELIGIBILITY, taxonomyId } from './taxonomies.js';

const OPEN_ELIGIBILITY_ID = taxonomyId(OPEN_ELIGIBILITY);
const NEED_DOMAINS_ID = taxonomyId(NEED_DOMAIN_TAXONOMY);
import { METRES_PER_MILE, type SearchQuery } from './search-query.js';

/** Metres along the Earth's surface from a point to a location row (haversine; plenty for "within 3 miles"). */
export const distanceFrom = (origin: Point) =>
  sql<number>`12742000 * asin(sqrt(
    power(sin(radians(l.latitude - ${origin.latitude}) / 2), 2) +
    cos(radians(${origin.latitude})) * cos(radians(l.latitude)) * power(sin(radians(l.longitude - ${origin.longitude}) / 2), 2)))`;

/** The latitude and longitude bounds of a circle: an index range to narrow by before measuring distances. */
export function boxAround(origin: Point, metres: number) {
  const degrees = metres / 111_000;
  const across = degrees / Math.cos((origin.latitude * Math.PI) / 180);
  return { south: origin.latitude - degrees, north: origin.latitude + degrees, west: origin.longitude - across, east: origin.longitude + across };
}

/** Circles (miles) tried in turn for "nearest first" with no distance limit, before the whole country. */
const NEAREST_FIRST_WITHIN_MILES = [5, 25, 100];

/**
 * Nearest first with no distance limit, without measuring the distance to every place in the country.
 * The rows from the smallest circle holding at least `needed` matches (everything up to and including
 * the page asked for) are the rows the whole country would give, in the same order. `within` runs the
 * page query limited to a distance (null: none) and carries the number within it as `total`.
 */
async function nearestFirst<Row extends { total: number | string | null }>(needed: number, within: (metres: number | null) => Promise<Row[]>) {
  for (const miles of NEAREST_FIRST_WITHIN_MILES) {
    const rows = await within(miles * METRES_PER_MILE);
    if (rows[0] && Number(rows[0].total) >= needed) return rows;
  }
  return within(null);
}

/** Whether an entry has gone unchecked for longer than its review interval. */
export const isStale = (lastVerifiedAt: Date | null, reviewEveryDays: number, now = Date.now()) =>
  !lastVerifiedAt || now - lastVerifiedAt.getTime() > reviewEveryDays * 86_400_000;

/** Words to match, or a distance limit: narrow enough that counting the matches with the page costs little. */
export const isNarrow = (query: SearchQuery, origin: Point | null, tsquery: string) => Boolean(tsquery) || (origin !== null && query.radiusMetres !== null);

/** Every filter but distance, on the services table alone: what the page and the count share. */
function matchingServices(db: Kysely<Schema>, query: SearchQuery, words: RawBuilder<unknown> | null) {
  const time = query.time ? TIMES_OF_DAY[query.time] : null;
  return db
    .selectFrom('directory_service as s')
    .$if(words !== null, (qb) => qb.where(sql<boolean>`s.search @@ ${words}`))
    .$if(Boolean(query.need), (qb) => qb.where(sql<boolean>`s.need_domains @> array[${query.need}]::text[]`))
    .$if(!query.includeInactive, (qb) => qb.where('s.status', 'in', ['active', 'online_only']))
    .$if(query.freeOnly, (qb) => qb.where('s.free', '=', true))
    .$if(query.referralsOnly, (qb) => qb.where('s.referral_mode', '=', 'anchorpoint_referral'))
    .$if(Boolean(query.delivery), (qb) => qb.where('s.delivery', '=', query.delivery))
    .$if(Boolean(query.organisationId), (qb) => qb.where('s.directory_organisation_id', '=', query.organisationId))
    .$if(query.modifiedAfter !== null, (qb) => qb.where('s.updated_at', '>=', query.modifiedAfter!))
    .$if(query.age !== null, (qb) =>
      qb
        .where((eb) => eb.or([eb('s.minimum_age', 'is', null), eb('s.minimum_age', '<=', query.age!)]))
        .where((eb) => eb.or([eb('s.maximum_age', 'is', null), eb('s.maximum_age', '>=', query.age!)])),
    )
    .$if(Boolean(query.type), (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb.selectFrom('directory_service_term as st')
            .innerJoin('directory_taxonomy_term as t', 't.id', 'st.directory_taxonomy_term_id')
            .select(sql`1`.as('one'))
            .whereRef('st.directory_service_id', '=', 's.id')
            // Open Eligibility codes nest ("107-02" is under "107"), so a type includes its narrower terms.
            .where((eb) => eb.or([eb('t.code', '=', query.type), eb('t.code', 'like', `${query.type}-%`)]))
            .where('t.directory_taxonomy_id', '=', OPEN_ELIGIBILITY_ID),
        ),
      ),
    )
    .$if(Boolean(query.termId), (qb) =>
      qb.where((eb) =>
        eb.exists(eb.selectFrom('directory_service_term as st').select(sql`1`.as('one')).whereRef('st.directory_service_id', '=', 's.id').where('st.directory_taxonomy_term_id', '=', query.termId)),
      ),
    )
    .$if(query.taxonomyId === NEED_DOMAINS_ID, (qb) => qb.where(sql<boolean>`cardinality(s.need_domains) > 0`))
    .$if(Boolean(query.taxonomyId) && query.taxonomyId !== NEED_DOMAINS_ID, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('directory_service_term as st')
            .innerJoin('directory_taxonomy_term as t', 't.id', 'st.directory_taxonomy_term_id')
            .select(sql`1`.as('one'))
            .whereRef('st.directory_service_id', '=', 's.id')
            .where('t.directory_taxonomy_id', '=', query.taxonomyId),
        ),
      ),
    )
    .$if(query.days.length > 0 || time !== null, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb.selectFrom('directory_schedule as sc')
            .select(sql`1`.as('one'))
            .whereRef('sc.directory_service_id', '=', 's.id')
            .where((eb) => eb.or([eb('sc.valid_to', 'is', null), eb('sc.valid_to', '>=', sql<string>`current_date`)]))
            .$if(query.days.length > 0, (q) => q.where(sql<boolean>`sc.weekdays && ${sql.val(query.days)}::smallint[]`))
            .$if(time !== null, (q) => q.where('sc.opens_at', '<', time!.to).where('sc.closes_at', '>', time!.from)),
        ),
      ),
    );
}

const tsQuery = (tsquery: string) => (tsquery ? sql`websearch_to_tsquery('english', ${tsquery})` : null);

/**
 * The directory search: English-stemmed free text, the link worker's filters, and distance from a
 * point. A narrow search (see isNarrow) carries its total in a window count, so the database is asked
 * once; a broad one leaves the total to countStatement, so the page can come straight off an index.
 */
export function searchStatement(db: Kysely<Schema>, query: SearchQuery, origin: Point | null, tsquery: string) {
  const words = tsQuery(tsquery);
  const radius = origin ? query.radiusMetres : null;
  const box = origin && radius !== null ? boxAround(origin, radius) : null;
  // Services with a location in the box around the circle: a cheap index range before the exact distance.
  const inBox =
    box &&
    db
      .selectFrom('directory_location as l')
      .innerJoin('directory_service_at_location as sal', 'sal.directory_location_id', 'l.id')
      .select('sal.directory_service_id')
      .where('l.latitude', '>=', box.south)
      .where('l.latitude', '<=', box.north)
      .where('l.longitude', '>=', box.west)
      .where('l.longitude', '<=', box.east);
  const rank = words ? sql<number>`ts_rank(s.search, ${words})` : sql<number>`0`;
  const offset = (query.page - 1) * query.perPage;
  // Reading a whole list in chunks (query.after): name order only, no count, no offset.
  const chunked = query.after !== null;
  // A broad list in name order finds its page's ids off the (name, id) index first, and reads only
  // those services: otherwise a deep page (a harvester's page 1,000) reads every service before it.
  const pageIds =
    !chunked && !isNarrow(query, origin, tsquery) && !(query.sort === 'distance' && origin !== null) && offset > 0
      ? matchingServices(db, query, null).select('s.id').orderBy('s.name').orderBy('s.id').limit(query.perPage).offset(offset)
      : null;

  return matchingServices(db, query, words)
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    // The nearest of the service's venues, through the service's own index; nothing without an origin.
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('directory_service_at_location as sal')
          .innerJoin('directory_location as l', 'l.id', 'sal.directory_location_id')
          .select((origin ? sql<number | null>`min(${distanceFrom(origin)})` : sql<number | null>`null::float8`).as('distance'))
          .whereRef('sal.directory_service_id', '=', 's.id')
          // Without an origin the planner drops this join altogether (a constant false filter).
          .$if(!origin, (q) => q.where(sql<boolean>`false`))
          .as('near'),
      (join) => join.onTrue(),
    )
    .$if(inBox !== null, (qb) => qb.where('s.id', 'in', inBox!).where('near.distance', '<=', radius!))
    .$if(pageIds !== null, (qb) => qb.where('s.id', 'in', pageIds!))
    .$if(chunked, (qb) => qb.where(sql<boolean>`(s.name, s.id) > (${query.after!.name}, ${query.after!.id}::uuid)`))
    .select([
      's.id',
      's.name',
      's.description',
      's.status',
      's.need_domains',
      's.delivery',
      's.referral_mode',
      's.free',
      's.fees',
      's.last_verified_at',
      's.review_every_days',
      's.updated_at',
      's.directory_organisation_id',
      'o.name as organisation_name',
      rank.as('rank'),
      (isNarrow(query, origin, tsquery) && !chunked ? sql<number | null>`count(*) over ()` : sql<number | null>`null::bigint`).as('total'),
      'near.distance',
    ])
    .$if(query.sort === 'distance' && origin !== null && !chunked, (qb) => qb.orderBy(sql`distance nulls last`))
    .$if(!chunked, (qb) => qb.orderBy(sql`rank`, 'desc'))
    .orderBy('s.name')
    .orderBy('s.id')
    .limit(query.perPage)
    .offset(pageIds ? 0 : offset);
}

export type SearchStatement = ReturnType<typeof searchStatement>;

/** How many services match, whatever their distance: the total for a broad search. */
export const countStatement = (db: Kysely<Schema>, query: SearchQuery, tsquery: string) =>
  matchingServices(db, query, tsQuery(tsquery)).select(sql<string>`count(*)`.as('total'));

/**
 * A page of a list and its length, each the cheap way for how wide the list is (ADR 17). `read(within)`
 * runs the page query: as asked when `within` is undefined, limited to that many metres when it is a
 * number (both carrying the window count), and with no limit and no count when it is null. A narrow
 * list counts with its page, asking `count` only for a page past its end; a broad one counts side by
 * side, and nearest first widens a circle (see nearestFirst).
 */
export async function pageAndTotal<Row extends { total: number | string | null }>(
  list: { narrow: boolean; nearestFirst: boolean; page: number; perPage: number },
  read: (within?: number | null) => Promise<Row[]>,
  count: () => Promise<number>,
): Promise<{ rows: Row[]; total: number }> {
  if (list.narrow) {
    const rows = await read();
    // A page past the end has no row to carry the count.
    return { rows, total: rows[0] ? Number(rows[0].total) : list.page > 1 ? await count() : 0 };
  }
  const [rows, total] = await Promise.all([list.nearestFirst ? nearestFirst(list.page * list.perPage, read) : read(null), count()]);
  return { rows, total };
}

/** A page of matching services and how many there are. */
export function searchPage<Row extends { total: number | string | null }>(
  db: Kysely<Schema>,
  query: SearchQuery,
  origin: Point | null,
  tsquery: string,
  read: (statement: SearchStatement) => Promise<Row[]>,
): Promise<{ rows: Row[]; total: number }> {
  const narrow = isNarrow(query, origin, tsquery);
  return pageAndTotal(
    { narrow, nearestFirst: origin !== null && query.sort === 'distance', page: query.page, perPage: query.perPage },
    (within) => read(searchStatement(db, within === undefined ? query : { ...query, radiusMetres: within }, origin, tsquery)),
    narrow ? () => countWithin(db, query, origin, tsquery) : async () => Number((await countStatement(db, query, tsquery).executeTakeFirstOrThrow()).total),
  );
}

/** The size of a narrow search, for a page past its end. */
async function countWithin(db: Kysely<Schema>, query: SearchQuery, origin: Point | null, tsquery: string) {
  const [first] = await searchStatement(db, { ...query, page: 1, perPage: 1 }, origin, tsquery).execute();
  return first ? Number(first.total) : 0;
}

/**
 * Corrects words the directory has never used to the nearest one it has (pg_trgm similarity), for a
 * search that found nothing. Undefined when there is nothing to correct.
 */
export async function correctSpelling(db: Kysely<Schema>, q: string): Promise<string | undefined> {
  const words = q.toLowerCase().match(/[a-z]{3,30}/g);
  if (!words) return undefined;
  const rows = await sql<{ input: string; suggestion: string | null }>`
    select w.input,
      (select d.word from directory_word d where d.word % w.input order by similarity(d.word, w.input) desc, d.word limit 1) as suggestion
    from unnest(${sql.val(words)}::text[]) as w(input)
    where not exists (select 1 from directory_word d where d.word = w.input)`.execute(db);
  const fixes = new Map(rows.rows.filter((r) => r.suggestion).map((r) => [r.input, r.suggestion!]));
  if (!fixes.size) return undefined;
  return q.replace(/[a-z]{3,30}/gi, (word) => fixes.get(word.toLowerCase()) ?? word);
}

export interface SearchResult {
  total: number;
  /** The words actually searched for, when the typed ones found nothing and were corrected. */
  correctedTo: string | undefined;
  rows: ReturnType<typeof decorate>;
}

export async function searchServices(db: Kysely<Schema>, query: SearchQuery, origin: Point | null = null): Promise<SearchResult> {
  let found = await searchPage(db, query, origin, query.q, withSchedules);
  let correctedTo: string | undefined;
  if (!found.rows.length && query.q && query.page === 1) {
    correctedTo = await correctSpelling(db, query.q);
    if (correctedTo) found = await searchPage(db, query, origin, correctedTo, withSchedules);
  }
  return { total: found.total, correctedTo, rows: decorate(found.rows) };
}

/** The search page's statement: each service with its regular sessions, for "next session". */
export const withSessions = (statement: SearchStatement) =>
  statement.select((eb) =>
    jsonArrayFrom(
      eb
        .selectFrom('directory_schedule as sc')
        .select(['sc.freq', 'sc.interval', 'sc.byday', 'sc.opens_at', 'sc.closes_at', 'sc.valid_from', 'sc.valid_to', 'sc.dtstart'])
        .whereRef('sc.directory_service_id', '=', 's.id'),
    ).as('schedules'),
  );
const withSchedules = (statement: SearchStatement) => withSessions(statement).execute();

type SearchRow = Awaited<ReturnType<typeof withSchedules>>[number];

/** Adds what the results list shows beside each service: its next session, miles away, freshness. */
function decorate(rows: SearchRow[]) {
  const now = new Date();
  return rows.map(({ schedules, ...row }) => ({
    ...row,
    summary: row.description && row.description.length > 240 ? `${row.description.slice(0, 237).replace(/\s+\S*$/, '')}…` : row.description,
    stale: isStale(row.last_verified_at, row.review_every_days, now.getTime()),
    miles: row.distance === null ? null : Math.round((row.distance / METRES_PER_MILE) * 10) / 10,
    nextSession: earliestSession(
      schedules.map((s) => ({
        freq: s.freq as 'WEEKLY' | 'MONTHLY',
        interval: s.interval,
        byday: s.byday,
        opensAt: s.opens_at,
        closesAt: s.closes_at,
        validFrom: s.valid_from,
        validTo: s.valid_to,
        dtstart: s.dtstart,
      })),
      now,
    ),
  }));
}
