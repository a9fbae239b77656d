import { normalisePostcode } from '../../shared/postcode.js';
import { isObject, str, type Raw } from './feed-values.js';
import { isTime, parseByday, WEEKDAY_CODES } from './schedules.js';

/**
 * Where, when and who of an Open Referral service record (UK v1 and HSDS/ORUK 3.0 shapes). Pure.
 * As with the service itself, a bad part is left out and reported, never silently dropped.
 */

export interface DetailIssue {
  field: string;
  problem: string;
  value: string;
}

export interface MappedLocation {
  sourceId: string | null;
  name: string | null;
  description: string | null;
  address1: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string | null;
}

export interface MappedSchedule {
  /** The index in `locations` this session is held at, when the feed says. */
  locationIndex: number | null;
  freq: 'WEEKLY' | 'MONTHLY';
  interval: number;
  byday: string;
  opensAt: string;
  closesAt: string;
  validFrom: string | null;
  validTo: string | null;
  dtstart: string | null;
  description: string | null;
  notes: string | null;
}

export interface MappedContact {
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
}

export interface MappedTerm {
  id: string | null;
  name: string | null;
  code: string | null;
}

export interface ServiceDetails {
  locations: MappedLocation[];
  schedules: MappedSchedule[];
  contacts: MappedContact[];
  terms: MappedTerm[];
  phone: string | null;
  /** From cost options: true when every option costs nothing, false when one costs something. */
  free: boolean | null;
}

const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.filter(isObject) : []);
const orNull = (value: string) => value || null;

function coordinate(value: unknown, limit: number): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(str(value));
  return Number.isFinite(n) && Math.abs(n) <= limit && n !== 0 ? n : null;
}

function location(raw: Raw, field: string, issues: DetailIssue[]): MappedLocation {
  const address = list(raw.addresses).find((a) => str(a.address_type) !== 'postal') ?? list(raw.physical_addresses)[0] ?? list(raw.addresses)[0] ?? {};
  const postcodeText = str(address.postal_code);
  const postcode = postcodeText ? normalisePostcode(postcodeText) ?? null : null;
  if (postcodeText && !postcode) issues.push({ field: `${field}.postal_code`, problem: 'not a UK postcode', value: postcodeText });
  let latitude = coordinate(raw.latitude, 90);
  let longitude = coordinate(raw.longitude, 180);
  if ((latitude === null) !== (longitude === null) || (str(raw.latitude) && latitude === null)) {
    issues.push({ field: `${field}.latitude`, problem: 'not a usable position; the postcode is used instead', value: `${str(raw.latitude)},${str(raw.longitude)}` });
    latitude = null;
    longitude = null;
  }
  const accessibility = list(raw.accessibility ?? raw.accessibility_for_disabilities)
    .map((a) => str(a.description) || str(a.accessibility) || str(a.details))
    .filter(Boolean)
    .join('; ');
  return {
    sourceId: orNull(str(raw.id)),
    name: orNull(str(raw.name).slice(0, 300)),
    description: orNull(str(raw.description)),
    address1: orNull(str(address.address_1)),
    city: orNull(str(address.city)),
    region: orNull(str(address.state_province) || str(address.region)),
    postcode,
    latitude,
    longitude,
    accessibility: orNull(accessibility),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}/;
const dateOrNull = (value: unknown) => (DATE.test(str(value)) ? str(value).slice(0, 10) : null);

function schedule(raw: Raw, field: string, locationIndex: number | null, issues: DetailIssue[]): MappedSchedule | null {
  // UK v1 regular_schedules name the day in words ("Tuesday"); v3 uses BYDAY.
  const weekday = str(raw.weekday).slice(0, 2).toUpperCase();
  const byday = str(raw.byday).toUpperCase() || ((WEEKDAY_CODES as readonly string[]).includes(weekday) ? weekday : '');
  const opensAt = str(raw.opens_at).slice(0, 5);
  const closesAt = str(raw.closes_at).slice(0, 5);
  const freqText = str(raw.freq).toUpperCase() || 'WEEKLY';
  const interval = Number(str(raw.interval) || 1);
  const problem = !byday || !parseByday(byday)
    ? 'no day of the week it runs on'
    : !isTime(opensAt) || !isTime(closesAt)
      ? 'opening times are not times of day'
      : closesAt <= opensAt
        ? 'closes before it opens'
        : !['WEEKLY', 'MONTHLY'].includes(freqText)
          ? 'not a weekly or monthly schedule'
          : !Number.isInteger(interval) || interval < 1 || interval > 52
            ? 'interval is not a whole number from 1 to 52'
            : null;
  if (problem) {
    issues.push({ field, problem, value: [byday || str(raw.weekday), opensAt, closesAt, str(raw.description)].filter(Boolean).join(' ').slice(0, 200) });
    return null;
  }
  return {
    locationIndex,
    freq: freqText as MappedSchedule['freq'],
    interval,
    byday,
    opensAt,
    closesAt,
    validFrom: dateOrNull(raw.valid_from),
    validTo: dateOrNull(raw.valid_to),
    dtstart: dateOrNull(raw.dtstart),
    description: orNull(str(raw.description)),
    notes: orNull(str(raw.notes)),
  };
}

const firstPhone = (raw: Raw) => orNull(str(list(raw.phones)[0]?.number));

export function mapServiceDetails(raw: Raw, issues: DetailIssue[]): ServiceDetails {
  const locations: MappedLocation[] = [];
  const schedules: MappedSchedule[] = [];
  for (const [index, sal] of list(raw.service_at_locations).entries()) {
    const place = isObject(sal.location) ? sal.location : null;
    if (!place) {
      issues.push({ field: `service_at_locations[${index}]`, problem: 'no location given', value: str(sal.id) });
      continue;
    }
    locations.push(location(place, `service_at_locations[${index}].location`, issues));
    for (const [s, rule] of [...list(sal.schedules), ...list(sal.regular_schedules)].entries()) {
      const mapped = schedule(rule, `service_at_locations[${index}].schedules[${s}]`, locations.length - 1, issues);
      if (mapped) schedules.push(mapped);
    }
  }
  for (const [s, rule] of [...list(raw.schedules), ...list(raw.regular_schedules)].entries()) {
    const mapped = schedule(rule, `schedules[${s}]`, null, issues);
    if (mapped) schedules.push(mapped);
  }
  const contacts = list(raw.contacts)
    .map((c) => ({ name: orNull(str(c.name)), title: orNull(str(c.title)), email: orNull(str(c.email)), phone: firstPhone(c) }))
    .filter((c) => c.name || c.email || c.phone);
  const terms: MappedTerm[] = [
    ...list(raw.attributes).map((a) => (isObject(a.taxonomy_term) ? a.taxonomy_term : { id: a.taxonomy_term_id })),
    ...list(raw.service_taxonomys).map((t) => (isObject(t.taxonomy) ? t.taxonomy : {})),
    ...list(raw.taxonomy_terms),
  ]
    .map((t) => ({ id: orNull(str(t.id)), name: orNull(str(t.name)), code: orNull(str(t.code) || str(t.term)) }))
    .filter((t) => t.id || t.name || t.code);
  const amounts = list(raw.cost_options).map((c) => (c.amount === null || c.amount === undefined || c.amount === '' ? null : Number(c.amount)));
  const known = amounts.filter((a): a is number => a !== null && Number.isFinite(a));
  return {
    locations,
    schedules,
    contacts,
    terms,
    phone: firstPhone(raw),
    free: known.length ? known.every((a) => a === 0) : null,
  };
}
