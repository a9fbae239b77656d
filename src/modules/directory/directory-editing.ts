import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { conflict, notFound } from '../../platform/errors.js';
import { rememberWords, replaceServiceDetails } from './directory-details-repository.js';
import { getService, type DirectoryEntry } from './directory-entries.js';
import type { EntryInput } from './entry-form.js';
import type { MappedLocation } from './feed-details.js';
import { OPEN_ELIGIBILITY, taxonomyId, termId } from './taxonomies.js';

/** Changing a directory entry by hand: editors any, providers their own organisation's (checked by the routes). */

/** The entry's main type: its first Open Eligibility term. */
export const mainType = (entry: Pick<DirectoryEntry, 'terms'>) => entry.terms.find((t) => t.taxonomy_id === taxonomyId(OPEN_ELIGIBILITY)) ?? null;

function serviceValues(entry: EntryInput, actor: Actor) {
  return {
    name: entry.name,
    description: entry.description,
    status: entry.status,
    oruk_status: { active: 'active', online_only: 'active', paused: 'temporarily closed', closed: 'inactive' }[entry.status],
    need_domains: entry.needDomains,
    delivery: entry.delivery,
    referral_mode: entry.referralMode,
    capacity_note: entry.capacityNote,
    free: entry.free,
    fees: entry.fees,
    minimum_age: entry.minimumAge,
    maximum_age: entry.maximumAge,
    eligibility: entry.eligibility,
    languages: entry.languages,
    accessibility: entry.accessibility,
    service_area: entry.serviceArea,
    url: entry.url,
    email: entry.email,
    phone: entry.phone,
    review_every_days: entry.reviewEveryDays,
    updated_at: new Date(),
    ...(entry.checked ? { last_verified_at: new Date(), verified_by: actor.displayName, reminded_at: null } : {}),
  };
}

const existingLocation = (row: DirectoryEntry['locations'][number]): MappedLocation => ({
  sourceId: row.source_id,
  name: row.name,
  description: row.description,
  address1: row.address_1,
  city: row.city,
  region: row.region,
  postcode: row.postcode,
  latitude: row.latitude,
  longitude: row.longitude,
  accessibility: row.accessibility,
});

/**
 * Saves an entry: a new one for a directory organisation, or changes to an existing one. `version`
 * is the updated_at the editor saw; if someone else saved since, nothing is saved and they are told.
 */
export async function saveEntry(
  db: Kysely<Schema>,
  actor: Actor,
  target: { serviceId: string; version: string } | { directoryOrganisationId: string },
  entry: EntryInput,
  requestId: string,
): Promise<string> {
  const current = 'serviceId' in target ? await getService(db, target.serviceId) : null;
  if (current && 'version' in target && current.updated_at.toISOString() !== target.version) {
    throw conflict('Someone else changed this entry after you opened it. Their changes are shown below: make yours again and save.');
  }
  return db.transaction().execute(async (trx) => {
    const values = serviceValues(entry, actor);
    let id: string;
    let organisationId: string;
    if (current) {
      const updated = await trx
        .updateTable('directory_service')
        .set(values)
        .where('id', '=', current.id)
        // PostgreSQL keeps microseconds; the version the form carries has milliseconds.
        .where(sql<Date>`date_trunc('milliseconds', updated_at)`, '=', current.updated_at)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw conflict('Someone else changed this entry while you were saving. Check it and save again.');
      id = current.id;
      organisationId = current.directory_organisation_id;
    } else {
      organisationId = (target as { directoryOrganisationId: string }).directoryOrganisationId;
      const organisation = await trx.selectFrom('directory_organisation').select(['id', 'name']).where('id', '=', organisationId).executeTakeFirst();
      if (!organisation) throw notFound('organisation');
      id = (
        await trx
          .insertInto('directory_service')
          .values({ ...values, directory_organisation_id: organisationId, search_text: organisation.name })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    }
    const others = current ? current.locations.slice(entry.venue ? 1 : 0).map(existingLocation) : [];
    const first = current?.locations[0];
    const venue: MappedLocation[] = entry.venue
      ? [{ ...entry.venue, sourceId: first?.source_id ?? null, description: null, region: null, latitude: null, longitude: null, accessibility: entry.accessibility }]
      : [];
    const oldMain = current ? mainType(current) : null;
    const keptTerms = (current?.terms ?? []).filter((t) => t.id !== oldMain?.id).map((t) => t.id);
    await replaceServiceDetails(
      trx,
      { id, source: current?.source ?? 'anchorpoint', sourceId: current?.source_id ?? null, organisationId },
      {
        locations: [...venue, ...others],
        schedules: entry.sessions.map((s) => ({ ...s, locationIndex: venue.length ? 0 : null })),
        contacts: current?.contacts ?? [],
        termIds: [...keptTerms, ...(entry.typeCode ? [termId(OPEN_ELIGIBILITY, entry.typeCode)] : [])],
      },
    );
    await rememberWords(trx, [entry.name, entry.description]);
    await writeAudit(trx, {
      actor,
      action: current ? 'directory.edit' : 'directory.create',
      recordType: 'directory_service',
      recordId: id,
      serviceId: null,
      requestId,
      detail: { changed: current ? changedFields(current, entry).join(', ') : 'created', checked: entry.checked },
    });
    return id;
  });
}

function changedFields(current: DirectoryEntry, entry: EntryInput): string[] {
  const before: Record<string, unknown> = {
    name: current.name,
    description: current.description,
    status: current.status,
    needDomains: current.need_domains,
    delivery: current.delivery,
    referralMode: current.referral_mode,
    capacityNote: current.capacity_note,
    free: current.free,
    fees: current.fees,
    minimumAge: current.minimum_age,
    maximumAge: current.maximum_age,
    eligibility: current.eligibility,
    languages: current.languages,
    accessibility: current.accessibility,
    serviceArea: current.service_area,
    url: current.url,
    email: current.email,
    phone: current.phone,
    reviewEveryDays: current.review_every_days,
    typeCode: mainType(current)?.code ?? null,
    venue: current.locations[0] ? current.locations[0].postcode : null,
    sessions: current.schedules.map((s) => `${s.freq}${s.interval}${s.byday}${s.opens_at.slice(0, 5)}${s.closes_at.slice(0, 5)}`).join('|'),
  };
  const after: Record<string, unknown> = {
    ...entry,
    venue: entry.venue?.postcode ?? null,
    sessions: entry.sessions.map((s) => `${s.freq}${s.interval}${s.byday}${s.opensAt}${s.closesAt}`).join('|'),
  };
  return Object.keys(before).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
