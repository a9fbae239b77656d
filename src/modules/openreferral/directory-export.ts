import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { csvText } from '../../platform/downloads.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { loadEntries, type DirectoryEntry } from '../directory/directory-entries.js';
import { DELIVERY, REFERRAL_MODES } from '../directory/search-query.js';
import { fullServices } from './oruk-service.js';
import { todayInLondon } from '../../shared/dates.js';

/**
 * The whole directory out, in batches so a national directory never sits in memory at once:
 * as an ORUK 3.0 JSON document (one page holding every service in full, which the importer reads
 * back), or as a CSV of one row per service for spreadsheets.
 */

const BATCH = 500;

async function* idBatches(db: Kysely<Schema>): AsyncGenerator<string[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = (await db.selectFrom('directory_service').select('id').where('id', '>', after).orderBy('id').limit(BATCH).execute()).map((r) => r.id);
    if (!ids.length) return;
    yield ids;
    after = ids.at(-1)!;
  }
}

export async function* exportOrukJson(db: Kysely<Schema>): AsyncGenerator<string> {
  const total = Number((await db.selectFrom('directory_service').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  yield `{"total_items":${total},"total_pages":1,"page_number":1,"size":${total},"first_page":true,"last_page":true,"empty":${total === 0},"contents":[`;
  let first = true;
  for await (const ids of idBatches(db)) {
    for (const service of await fullServices(db, ids)) {
      yield `${first ? '' : ','}\n${JSON.stringify(service)}`;
      first = false;
    }
  }
  yield '\n]}\n';
}

const CSV_COLUMNS = [
  'id', 'organisation', 'name', 'description', 'status', 'needs', 'types', 'delivery', 'how_people_start', 'free', 'fees', 'minimum_age', 'maximum_age',
  'eligibility', 'languages', 'venue', 'address', 'postcode', 'latitude', 'longitude', 'sessions', 'website', 'email', 'phone', 'capacity', 'last_checked', 'checked_by', 'last_modified',
];

function csvRow(entry: DirectoryEntry): unknown[] {
  const venue = entry.locations[0];
  return [
    entry.id,
    entry.organisation_name,
    entry.name,
    entry.description,
    entry.status,
    entry.need_domains.map((n) => NEED_DOMAINS[n as keyof typeof NEED_DOMAINS] ?? n).join('; '),
    entry.terms.map((t) => t.description).join('; '),
    entry.delivery ? DELIVERY[entry.delivery as keyof typeof DELIVERY] : '',
    entry.referral_mode ? REFERRAL_MODES[entry.referral_mode as keyof typeof REFERRAL_MODES] : '',
    entry.free === null ? '' : entry.free ? 'yes' : 'no',
    entry.fees,
    entry.minimum_age,
    entry.maximum_age,
    entry.eligibility,
    entry.languages.join('; '),
    venue?.name,
    [venue?.address_1, venue?.city].filter(Boolean).join(', '),
    venue?.postcode,
    venue?.latitude,
    venue?.longitude,
    entry.schedules.map((s) => s.words).join('; '),
    entry.url,
    entry.email,
    entry.phone,
    entry.capacity_note,
    entry.last_verified_at ? todayInLondon(entry.last_verified_at) : undefined,
    entry.verified_by,
    entry.updated_at.toISOString(),
  ];
}

export async function* exportCsv(db: Kysely<Schema>): AsyncGenerator<string> {
  yield csvText([CSV_COLUMNS]);
  for await (const ids of idBatches(db)) yield csvText((await loadEntries(db, ids)).map(csvRow));
}
