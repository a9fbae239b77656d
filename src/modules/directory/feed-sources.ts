import { parse } from 'csv-parse/sync';
import { FeedError, feedRecords } from './feed-mapping.js';
import { isObject } from './feed-values.js';

/**
 * Where feeds come from: a JSON document, a URL paged through to the end, or an HSDS 3.0 CSV data
 * package (services.csv with its related tables), turned into the nested records the mapping reads.
 */

export const MAX_PAGES = 2000;


/** Parses a feed file's text; anything that is not JSON is a FeedError with a readable message. */
export function parseFeed(text: string): unknown[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FeedError(`The feed is not JSON: ${(error as Error).message}`);
  }
  return feedRecords(document);
}

/** The page after `current`, from the ORUK 3.0 envelope or the UK v1 one; null when this is the last. */
export function nextPage(document: unknown, current: number): number | null {
  if (!isObject(document)) return null;
  if (document.last_page === true || document.last === true) return null;
  const total = Number(document.total_pages ?? document.totalPages);
  if (Number.isInteger(total)) return current < total ? current + 1 : null;
  return document.last_page === false || document.last === false ? current + 1 : null;
}

/**
 * Fetches every page of an Open Referral feed at `url` (…/services), following `page` until the
 * last. A page that fails stops the import with a FeedError naming the page: nothing is imported
 * from a feed that could only be read in part.
 */
export async function fetchFeed(url: string, options: { fetch?: typeof fetch; onPage?: (page: number, total: number | null) => void } = {}): Promise<unknown[]> {
  const get = options.fetch ?? fetch;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new FeedError('The feed address is not a web address: it should start with https://');
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new FeedError('The feed address must start with https:// or http://');
  // ORUK 3.0 lists carry only one-to-one fields unless asked for full records; v1 feeds ignore this.
  if (!target.searchParams.has('full')) target.searchParams.set('full', 'true');
  const records: unknown[] = [];
  for (let page = Number(target.searchParams.get('page') ?? 1), fetched = 0; ; fetched += 1) {
    if (fetched >= MAX_PAGES) throw new FeedError(`The feed has more than ${MAX_PAGES} pages; import it in parts.`);
    target.searchParams.set('page', String(page));
    const response = await fetchPage(get, target, page);
    if (!response.ok) throw new FeedError(`Page ${page} of the feed answered ${response.status} ${response.statusText}`.trim());
    const text = await response.text();
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new FeedError(`Page ${page} of the feed is not JSON: ${(error as Error).message}`);
    }
    records.push(...feedRecords(document));
    const next = nextPage(document, page);
    options.onPage?.(page, isObject(document) ? Number(document.total_pages ?? document.totalPages) || null : null);
    if (next === null || next <= page) return records;
    page = next;
  }
}

const PAGE_ATTEMPTS = 3;

/**
 * One page, tried again (after a short pause) when the connection fails: a server closing a kept-alive
 * connection as it is reused, or a moment's network trouble. A page that answers, even with an
 * error status, is not tried again, and neither is one that timed out.
 */
async function fetchPage(get: typeof fetch, target: URL, page: number): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await get(target, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      if (timedOut || attempt >= PAGE_ATTEMPTS) {
        throw new FeedError(`Could not fetch page ${page} of the feed${attempt > 1 ? ` (tried ${attempt} times)` : ''}: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/** The HSDS 3.0 tables a CSV data package may hold, by file name. */
const TABLES = [
  'services',
  'organizations',
  'locations',
  'service_at_locations',
  'addresses',
  'schedules',
  'phones',
  'contacts',
  'cost_options',
  'languages',
  'attributes',
  'taxonomy_terms',
  'service_areas',
] as const;
type Table = (typeof TABLES)[number];

type Row = Record<string, string | undefined>;

function readTable(name: string, text: string): Row[] {
  try {
    return parse<Row>(text, { columns: true, skip_empty_lines: true, bom: true, trim: true, relax_column_count: true });
  } catch (error) {
    throw new FeedError(`${name}.csv is not readable CSV: ${(error as Error).message}`);
  }
}

/**
 * Turns an HSDS 3.0 CSV data package into nested service records. `files` maps file names (any
 * folder stripped) to their text; services.csv is required, the other tables are joined in by id.
 */
export function recordsFromCsvPackage(files: Map<string, string>): unknown[] {
  const tables = new Map<Table, Row[]>();
  for (const [file, text] of files) {
    const name = file.split(/[\\/]/).at(-1)!.replace(/\.csv$/i, '') as Table;
    if ((TABLES as readonly string[]).includes(name)) tables.set(name, readTable(name, text));
  }
  const services = tables.get('services');
  if (!services) throw new FeedError('A CSV data package needs services.csv (with organizations.csv and the other HSDS tables beside it).');
  const by = (table: Table, key: string) => {
    const map = new Map<string, Row[]>();
    for (const row of tables.get(table) ?? []) {
      const id = (row[key] ?? '');
      if (id) map.set(id, [...(map.get(id) ?? []), row]);
    }
    return map;
  };
  const organisations = by('organizations', 'id');
  const locations = by('locations', 'id');
  const addresses = by('addresses', 'location_id');
  const serviceAtLocations = by('service_at_locations', 'service_id');
  const schedulesByService = by('schedules', 'service_id');
  const schedulesBySal = by('schedules', 'service_at_location_id');
  const phonesByService = by('phones', 'service_id');
  const phonesByContact = by('phones', 'contact_id');
  const contacts = by('contacts', 'service_id');
  const costs = by('cost_options', 'service_id');
  const languages = by('languages', 'service_id');
  const attributes = by('attributes', 'link_id');
  const terms = by('taxonomy_terms', 'id');
  const areas = by('service_areas', 'service_id');
  return services.map((service) => {
    const id = (service.id ?? '');
    return {
      ...service,
      organization: organisations.get((service.organization_id ?? ''))?.[0] ?? undefined,
      service_at_locations: (serviceAtLocations.get(id) ?? []).map((sal) => {
        const location = locations.get((sal.location_id ?? ''))?.[0];
        return {
          ...sal,
          location: location ? { ...location, addresses: addresses.get(location.id ?? '') ?? [] } : undefined,
          schedules: schedulesBySal.get((sal.id ?? '')) ?? [],
        };
      }),
      schedules: (schedulesByService.get(id) ?? []).filter((s) => !s.service_at_location_id),
      phones: phonesByService.get(id) ?? [],
      contacts: (contacts.get(id) ?? []).map((c) => ({ ...c, phones: phonesByContact.get((c.id ?? '')) ?? [] })),
      cost_options: costs.get(id) ?? [],
      languages: languages.get(id) ?? [],
      service_areas: areas.get(id) ?? [],
      attributes: (attributes.get(id) ?? []).map((a) => ({ ...a, taxonomy_term: terms.get((a.taxonomy_term_id ?? ''))?.[0] ?? { id: a.taxonomy_term_id } })),
    };
  });
}
