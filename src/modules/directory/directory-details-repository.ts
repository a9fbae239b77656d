import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { outcodeCentroid, type Point } from '../../shared/outcodes.js';
import { normalisePostcodeOrOutward } from '../../shared/postcode.js';
import type { MappedContact, MappedLocation, MappedSchedule } from './feed-details.js';
import { isoWeekdays } from './schedules.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * Where a postcode is: the full postcode from the imported postcode table when it has been loaded,
 * else the centre of its outward code (shipped with the app). Undefined for something that is not a
 * postcode or an outward code we know.
 */
export async function locatePostcode(db: Db, input: string): Promise<Located | undefined> {
  const parsed = normalisePostcodeOrOutward(input);
  if (!parsed) return undefined;
  const key = parsed.postcode ?? parsed.outward;
  const cached = located.get(key);
  if (cached && cached.until > Date.now()) return cached.place;
  let place: Located | undefined;
  if (parsed.postcode) {
    const row = await db.selectFrom('postcode').select(['latitude', 'longitude']).where('postcode', '=', parsed.postcode).executeTakeFirst();
    if (row) place = { ...row, precision: 'postcode', postcode: parsed.postcode };
  }
  if (!place) {
    const centroid = outcodeCentroid(parsed.outward);
    place = centroid && { ...centroid, precision: 'outcode', postcode: key };
  }
  if (located.size >= 20_000) located.delete(located.keys().next().value!);
  located.set(key, { place, until: Date.now() + 10 * 60_000 });
  return place;
}

type Located = Point & { precision: 'postcode' | 'outcode'; postcode: string };
/**
 * Recently located postcodes. Postcodes do not move; the ten minutes are so a postcode file loaded
 * by the CLI while the app runs is used soon after.
 */
const located = new Map<string, { place: Located | undefined; until: number }>();

/** Forgets located postcodes (after loading the postcode table in this process). */
export const forgetLocatedPostcodes = () => located.clear();

export interface ServiceDetailsInput {
  locations: MappedLocation[];
  schedules: MappedSchedule[];
  contacts: MappedContact[];
  termIds: string[];
}

/**
 * Replaces a service's locations, sessions, contacts and taxonomy terms with the given ones.
 * Locations are upserted by source and id (a location with no id gets one from the service's),
 * so re-imports and edits update places instead of duplicating them.
 */
export async function replaceServiceDetails(
  trx: Transaction<Schema>,
  service: { id: string; source: string; sourceId: string | null; organisationId: string },
  details: ServiceDetailsInput,
): Promise<void> {
  await trx.deleteFrom('directory_service_at_location').where('directory_service_id', '=', service.id).execute();
  await trx.deleteFrom('directory_schedule').where('directory_service_id', '=', service.id).execute();
  await trx.deleteFrom('directory_contact').where('directory_service_id', '=', service.id).execute();
  await trx.deleteFrom('directory_service_term').where('directory_service_id', '=', service.id).execute();

  const salIds: string[] = [];
  for (const [index, place] of details.locations.entries()) {
    const point = place.latitude !== null && place.longitude !== null ? { latitude: place.latitude, longitude: place.longitude } : place.postcode ? await locatePostcode(trx, place.postcode) : undefined;
    const values = {
      directory_organisation_id: service.organisationId,
      name: place.name,
      description: place.description,
      address_1: place.address1,
      city: place.city,
      region: place.region,
      postcode: place.postcode,
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      accessibility: place.accessibility,
      location_type: 'physical',
    };
    const sourceId = place.sourceId ?? `${service.sourceId ?? service.id}#location-${index + 1}`;
    const location = await trx
      .insertInto('directory_location')
      .values({ source: service.source, source_id: sourceId, ...values })
      .onConflict((oc) => oc.columns(['source', 'source_id']).where('source_id', 'is not', null).doUpdateSet({ ...values, updated_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const sal = await trx
      .insertInto('directory_service_at_location')
      .values({ directory_service_id: service.id, directory_location_id: location.id })
      .onConflict((oc) => oc.columns(['directory_service_id', 'directory_location_id']).doUpdateSet({ directory_service_id: service.id }))
      .returning('id')
      .executeTakeFirstOrThrow();
    salIds.push(sal.id);
  }
  if (details.schedules.length) {
    await trx
      .insertInto('directory_schedule')
      .values(
        details.schedules.map((rule) => ({
          directory_service_id: service.id,
          service_at_location_id: rule.locationIndex === null ? null : salIds[rule.locationIndex] ?? null,
          freq: rule.freq,
          interval: rule.interval,
          byday: rule.byday,
          weekdays: isoWeekdays(rule.byday),
          opens_at: rule.opensAt,
          closes_at: rule.closesAt,
          valid_from: rule.validFrom,
          valid_to: rule.validTo,
          dtstart: rule.dtstart,
          description: rule.description,
          notes: rule.notes,
        })),
      )
      .execute();
  }
  if (details.contacts.length) {
    await trx
      .insertInto('directory_contact')
      .values(details.contacts.map((c) => ({ directory_service_id: service.id, name: c.name, title: c.title, email: c.email, phone: c.phone })))
      .execute();
  }
  const termIds = [...new Set(details.termIds)];
  if (termIds.length) {
    await trx
      .insertInto('directory_service_term')
      .values(termIds.map((id) => ({ directory_service_id: service.id, directory_taxonomy_term_id: id })))
      .execute();
  }
}

/** Adds the words of these texts to the list misspelt search words are corrected against. */
export async function rememberWords(db: Db, texts: (string | null)[]): Promise<void> {
  // A tsvector holds at most 1 MB, so long lists go in pieces.
  const chunks: string[] = [];
  let current = '';
  for (const text of texts) {
    if (!text) continue;
    if (current.length + text.length > 200_000 && current) {
      chunks.push(current);
      current = '';
    }
    current += ` ${text.slice(0, 200_000)}`;
  }
  if (current) chunks.push(current);
  for (const chunk of chunks) {
    await sql`
      insert into directory_word (word)
      select distinct w from unnest(tsvector_to_array(to_tsvector('simple', ${chunk}))) as w
      where w ~ '^[a-z]{3,30}$'
      on conflict do nothing`.execute(db);
  }
}

/** Matches what a feed gave as taxonomy terms to the shipped taxonomies: our own ids, or a term's code or name. */
export async function termResolver(db: Db) {
  const rows = await db.selectFrom('directory_taxonomy_term').select(['id', 'code', sql<string>`lower(name)`.as('name')]).execute();
  const byId = new Set(rows.map((r) => r.id));
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  const byName = new Map(rows.map((r) => [r.name, r.id]));
  return (terms: { id: string | null; name: string | null; code: string | null }[]) => {
    const ids: string[] = [];
    const unknown: string[] = [];
    for (const term of terms) {
      const id =
        (term.id && byId.has(term.id) ? term.id : undefined) ?? (term.code ? byCode.get(term.code) : undefined) ?? (term.name ? byName.get(term.name.toLowerCase()) : undefined);
      if (id) ids.push(id);
      else unknown.push(term.name ?? term.code ?? term.id ?? '');
    }
    return { ids, unknown };
  };
}
