import { v5 as uuidv5 } from 'uuid';
import type { DirectoryEntry } from '../directory/directory-entries.js';
import { describeSchedule } from '../directory/schedules.js';
import { NEED_DOMAIN_TAXONOMY, OPEN_ELIGIBILITY, taxonomyId, termId } from '../directory/taxonomies.js';

/**
 * The directory as Open Referral UK 3.0 publishes it (HSDS 3.0 shapes). Pure. Fields with no value
 * are left out rather than sent as null, which the ORUK schemas do not allow.
 */

type Json = Record<string, unknown>;

/** Drops null, undefined and empty lists, recursively through objects and lists. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Json = {};
    for (const [key, inner] of Object.entries(value as Json)) {
      if (inner === null || inner === undefined) continue;
      out[key] = compact(inner);
    }
    return out as T;
  }
  return value;
}

const NAMESPACE = '6f1c7a52-3d0e-4b8a-9f21-5c4e2d7b9a13';
/** A stable id for parts of a record we keep as columns rather than rows (languages, cost, areas). */
const partId = (...parts: string[]) => uuidv5(parts.join(':'), NAMESPACE);
const isoDate = (value: Date | string | null) => (value ? new Date(value).toISOString().slice(0, 10) : null);
const seconds = (time: string) => (time.length === 5 ? `${time}:00` : time);

export interface OrganisationRow {
  id: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  logo: string | null;
}

export const toOrganization = (row: OrganisationRow) =>
  compact({ id: row.id, name: row.name, description: row.description ?? '', email: row.email, website: row.url, logo: row.logo });

export interface TermRow {
  id: string;
  code: string;
  name: string;
  description: string;
  parent_id: string | null;
  taxonomy_id: string;
  taxonomy_name: string;
}

export const toTaxonomyTerm = (row: TermRow) =>
  compact({
    id: row.id,
    name: row.name,
    description: row.description,
    parent_id: row.parent_id,
    taxonomy: row.taxonomy_name,
    taxonomy_id: row.taxonomy_id,
    term: row.code,
    code: row.code,
  });

export interface TaxonomyRow {
  id: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

export const toTaxonomy = (row: TaxonomyRow) => compact({ id: row.id, name: row.name, description: row.description, uri: row.uri, version: row.version });

/** The one-to-one fields of a service: what list pages carry. */
export interface ServiceRow {
  id: string;
  directory_organisation_id: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  oruk_status: string;
  fees: string | null;
  accreditations: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  last_verified_at: Date | null;
  alert: string | null;
  updated_at: Date;
}

export const toServiceSummary = (row: ServiceRow) =>
  compact({
    id: row.id,
    organization_id: row.directory_organisation_id,
    name: row.name,
    description: row.description,
    url: row.url,
    email: row.email,
    status: row.oruk_status,
    fees: row.fees,
    accreditations: row.accreditations,
    minimum_age: row.minimum_age,
    maximum_age: row.maximum_age,
    assured_date: isoDate(row.last_verified_at),
    alert: row.alert,
    last_modified: row.updated_at.toISOString(),
  });

type Location = Pick<DirectoryEntry['locations'][number], 'id' | 'name' | 'description' | 'address_1' | 'city' | 'region' | 'postcode' | 'latitude' | 'longitude' | 'accessibility'>;

export const toLocation = (location: Location) =>
  compact({
    id: location.id,
    location_type: 'physical',
    name: location.name,
    description: location.description,
    latitude: location.latitude,
    longitude: location.longitude,
    addresses:
      location.address_1 && location.postcode
        ? [
            {
              id: partId(location.id, 'address'),
              location_id: location.id,
              address_1: location.address_1,
              city: location.city ?? '',
              state_province: location.region ?? '',
              region: location.region,
              postal_code: location.postcode,
              country: 'GB',
              address_type: 'physical',
            },
          ]
        : [],
    accessibility: location.accessibility ? [{ id: partId(location.id, 'accessibility'), location_id: location.id, description: location.accessibility }] : [],
  });

/** A service with everything about it: the ORUK "full" service. */
export function toService(entry: DirectoryEntry, organisation: OrganisationRow, needTerms: TermRow[]) {
  const attributes = [
    ...entry.terms.map((term) => ({ ...term, taxonomy_id: term.taxonomy_id, taxonomy_name: term.taxonomy_name })),
    ...needTerms.filter((term) => entry.need_domains.includes(term.code)),
  ].map((term) => ({
    id: partId(entry.id, 'attribute', term.id),
    link_id: entry.id,
    link_type: 'service',
    link_entity: 'service',
    taxonomy_term_id: term.id,
    taxonomy_term: toTaxonomyTerm(term),
  }));
  return compact({
    ...toServiceSummary(entry),
    organization: toOrganization(organisation),
    schedules: entry.schedules.map((s) => ({
      id: s.id,
      service_id: entry.id,
      service_at_location_id: s.service_at_location_id,
      freq: s.freq,
      interval: s.interval,
      byday: s.byday,
      opens_at: seconds(s.opens_at),
      closes_at: seconds(s.closes_at),
      dtstart: s.dtstart,
      valid_from: s.valid_from,
      valid_to: s.valid_to,
      description: s.description ?? describeSchedule({ freq: s.freq as 'WEEKLY' | 'MONTHLY', interval: s.interval, byday: s.byday, opensAt: s.opens_at, closesAt: s.closes_at }),
      notes: s.notes,
    })),
    service_areas: entry.service_area ? [{ id: partId(entry.id, 'area'), service_id: entry.id, name: entry.service_area, service_area: entry.service_area }] : [],
    service_at_locations: entry.locations.map((location) => ({
      id: location.service_at_location_id,
      service_id: entry.id,
      location_id: location.id,
      location: toLocation(location),
    })),
    languages: entry.languages.map((name) => ({ id: partId(entry.id, 'language', name), service_id: entry.id, name })),
    cost_options:
      entry.free !== null || entry.fees
        ? [{ id: partId(entry.id, 'cost'), service_id: entry.id, option: entry.free ? 'Free' : 'Charge', amount: entry.free ? 0 : undefined, amount_description: entry.fees }]
        : [],
    contacts: entry.contacts.map((c) => ({
      id: c.id,
      service_id: entry.id,
      name: c.name,
      title: c.title,
      email: c.email,
      phones: c.phone ? [{ id: partId(c.id, 'phone'), contact_id: c.id, number: c.phone }] : [],
    })),
    phones: entry.phone ? [{ id: partId(entry.id, 'phone'), number: entry.phone }] : [],
    attributes,
  });
}

export const TAXONOMY_IDS = { openEligibility: taxonomyId(OPEN_ELIGIBILITY), needDomains: taxonomyId(NEED_DOMAIN_TAXONOMY) };
export const needTermId = (code: string) => termId(NEED_DOMAIN_TAXONOMY, code);

/** The ORUK 3.0 paging envelope. */
export function page<T>(contents: T[], total: number, pageNumber: number, perPage: number) {
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  return {
    total_items: total,
    total_pages: totalPages,
    page_number: pageNumber,
    size: contents.length,
    first_page: pageNumber === 1,
    last_page: pageNumber >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
