import { convert } from 'html-to-text';
import { isEmailAddress } from '../../shared/email.js';
import type { NeedDomain } from '../../shared/vocabulary.js';
import { webAddress } from '../../shared/web-address.js';
import { mapServiceDetails, type ServiceDetails } from './feed-details.js';
import { isObject, str, type Raw } from './feed-values.js';

/**
 * Open Referral feeds (UK v1 and v3 JSON) mapped to the directory's own shape. Pure: no I/O.
 * Real feeds are messy, so a record is kept whenever it has an id and a name; a bad field is
 * dropped from the record but reported as an issue, never silently.
 */

export interface DataIssue {
  field: string;
  problem: string;
  value: string;
}

export interface MappedOrganisation {
  sourceId: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  logo: string | null;
}

export interface MappedService {
  sourceId: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  phone: string | null;
  orukStatus: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  status: 'active' | 'paused' | 'online_only' | 'closed';
  fees: string | null;
  free: boolean | null;
  accreditations: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  eligibility: string | null;
  delivery: 'in_person' | 'online' | 'phone' | 'mixed' | null;
  needDomains: NeedDomain[];
  serviceTypes: string[];
  languages: string[];
  lastVerifiedAt: string | null;
  verifiedBy: string | null;
}

export type MappedRecord =
  | { ok: true; organisation: MappedOrganisation; service: MappedService; details: ServiceDetails; issues: DataIssue[] }
  | { ok: false; sourceId: string | null; name: string | null; reason: string };


/** HTML in descriptions becomes plain text: tags and scripts go, the words and paragraphs stay. */
export function plainText(value: unknown): string | null {
  const raw = str(value);
  if (!raw) return null;
  const text = convert(raw, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  })
    .replace(/\u00a0/g, ' ')
    .trim();
  return text || null;
}

function feedWebAddress(value: unknown, field: string, issues: DataIssue[]): string | null {
  const raw = str(value);
  if (!raw) return null;
  const url = webAddress(raw);
  if (url) return url;
  issues.push({ field, problem: 'not a web address', value: raw });
  return null;
}

function emailAddress(value: unknown, field: string, issues: DataIssue[]): string | null {
  const raw = str(value);
  if (!raw) return null;
  if (isEmailAddress(raw)) return raw;
  issues.push({ field, problem: 'not an email address', value: raw });
  return null;
}

function age(value: unknown, field: string, issues: DataIssue[]): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(str(value));
  if (Number.isInteger(n) && n >= 0 && n <= 130) return n;
  issues.push({ field, problem: 'not an age from 0 to 130', value: str(value) });
  return null;
}

const ORUK_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
const STATUS_FOR_LINK_WORKERS = { active: 'active', 'temporarily closed': 'paused', inactive: 'closed', defunct: 'closed' } as const;

/** The UK v1 "deliverable_type" words that say which need a service meets. */
const DELIVERABLE_NEEDS: Record<string, NeedDomain[]> = {
  'physical activity': ['physical_activity'],
  'social activity': ['loneliness'],
};

const ATTENDING_DELIVERY: Record<string, MappedService['delivery']> = {
  venue: 'in_person',
  'home visit': 'in_person',
  phone: 'phone',
  online: 'online',
};

function languagesOf(raw: Raw): string[] {
  const list = raw.languages;
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => (isObject(item) ? str(item.name ?? item.language) : str(item)))
    .filter(Boolean)
    .slice(0, 50);
}

function eligibilityOf(raw: Raw): string | null {
  const list = raw.eligibilitys ?? raw.eligibilities;
  if (Array.isArray(list)) {
    const words = list.map((item) => (isObject(item) ? str(item.eligibility) : str(item))).filter(Boolean);
    if (words.length) return words.join('; ');
  }
  return plainText(raw.eligibility_description);
}

function verifiedDate(raw: Raw, issues: DataIssue[]): string | null {
  const value = str(raw.assured_date) || str(isObject(raw.pc_metadata) ? raw.pc_metadata.date_assured : '');
  if (!value) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    issues.push({ field: 'assured_date', problem: 'not a date', value });
    return null;
  }
  return date.toISOString();
}

export function mapFeedRecord(raw: unknown): MappedRecord {
  if (!isObject(raw)) return { ok: false, sourceId: null, name: null, reason: 'not an object' };
  const sourceId = str(raw.id);
  const name = str(raw.name);
  if (!sourceId) return { ok: false, sourceId: null, name: name || null, reason: 'no id' };
  if (!name) return { ok: false, sourceId, name: null, reason: 'no name' };
  if (name.length > 300) return { ok: false, sourceId, name: name.slice(0, 60), reason: 'name longer than 300 characters' };

  const org = isObject(raw.organization) ? raw.organization : null;
  const orgId = str(org?.id) || str(raw.organization_id);
  const orgName = str(org?.name);
  if (!orgId) return { ok: false, sourceId, name, reason: 'no organisation id' };
  const issues: DataIssue[] = [];
  const organisation: MappedOrganisation = {
    sourceId: orgId,
    name: (orgName || name).slice(0, 300),
    description: plainText(org?.description),
    url: feedWebAddress(org?.url ?? org?.website, org?.url ? 'organization.url' : 'organization.website', issues),
    email: emailAddress(org?.email, 'organization.email', issues),
    logo: feedWebAddress(org?.logo, 'organization.logo', issues),
  };
  if (!orgName) issues.push({ field: 'organization.name', problem: 'missing; the service name was used', value: '' });

  const statusText = str(raw.status).toLowerCase();
  let orukStatus: MappedService['orukStatus'] = 'active';
  if ((ORUK_STATUSES as readonly string[]).includes(statusText)) orukStatus = statusText as MappedService['orukStatus'];
  else issues.push({ field: 'status', problem: statusText ? 'not an Open Referral status; treated as active' : 'empty; treated as active', value: statusText });

  const deliverable = str(raw.deliverable_type);
  const attending = str(raw.attending_type).toLowerCase();
  const fees = str(raw.fees) || null;
  const details = mapServiceDetails(raw, issues);
  const service: MappedService = {
    sourceId,
    name,
    description: plainText(raw.description),
    url: feedWebAddress(raw.url, 'url', issues),
    email: emailAddress(raw.email, 'email', issues),
    phone: details.phone,
    orukStatus,
    status: STATUS_FOR_LINK_WORKERS[orukStatus],
    fees,
    free: fees === null ? details.free : /^(free|no charge|£?0(\.00)?)$/i.test(fees),
    accreditations: str(raw.accreditations) || null,
    minimumAge: age(raw.minimum_age, 'minimum_age', issues),
    maximumAge: age(raw.maximum_age, 'maximum_age', issues),
    eligibility: eligibilityOf(raw),
    delivery: ATTENDING_DELIVERY[attending] ?? null,
    needDomains: DELIVERABLE_NEEDS[deliverable.toLowerCase()] ?? [],
    serviceTypes: deliverable ? [deliverable] : [],
    languages: languagesOf(raw),
    lastVerifiedAt: verifiedDate(raw, issues),
    verifiedBy: (isObject(raw.pc_metadata) ? str(raw.pc_metadata.assured_by) : '') || str(raw.assurer_email) || null,
  };
  if (service.minimumAge !== null && service.maximumAge !== null && service.minimumAge > service.maximumAge) {
    issues.push({ field: 'maximum_age', problem: 'lower than the minimum age; both dropped', value: `${service.minimumAge}-${service.maximumAge}` });
    service.minimumAge = null;
    service.maximumAge = null;
  }
  if (attending && !ATTENDING_DELIVERY[attending]) issues.push({ field: 'attending_type', problem: 'not a known way of attending', value: attending });
  return { ok: true, organisation, service, details, issues };
}

/** The records of a feed: a bare list (UK v1 /services), or a page (`content` in v1, `contents` in v3). */
export function feedRecords(document: unknown): unknown[] {
  if (Array.isArray(document)) return document;
  if (isObject(document)) {
    if (Array.isArray(document.contents)) return document.contents;
    if (Array.isArray(document.content)) return document.content;
    if (document.id && document.name) return [document];
  }
  throw new FeedError('This is not an Open Referral feed: expected a list of services, or a page of them with "contents".');
}

export class FeedError extends Error {}
