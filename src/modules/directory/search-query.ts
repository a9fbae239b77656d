import { isUuid, text, textList } from '../../shared/form.js';
import { normalisePostcodeOrOutward } from '../../shared/postcode.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';
import { TIMES_OF_DAY } from './schedules.js';

/** What a link worker (or another system, through the ORUK API) asks the directory for. */

export const PAGE_SIZE = 20;
export const DELIVERY = { in_person: 'In person', online: 'Online', phone: 'By phone', mixed: 'Mixed' } as const;
export const SERVICE_STATUS = { active: 'Active', paused: 'Paused', online_only: 'Online only', closed: 'Closed' } as const;
export const REFERRAL_MODES = { just_turn_up: 'Just turn up', signpost: 'Signpost: the person gets in touch', anchorpoint_referral: 'Referral through Anchorpoint' } as const;
export const RADIUS_MILES = [1, 3, 5, 10, 25] as const;
export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const METRES_PER_MILE = 1609.344;

export interface SearchQuery {
  q: string;
  need: string;
  /** An Open Eligibility term code (the service type); its narrower terms count too. */
  type: string;
  /** Any taxonomy term id (the ORUK API's taxonomy_term_id). */
  termId: string;
  /** Any term of this taxonomy (the ORUK API's taxonomy_id). */
  taxonomyId: string;
  organisationId: string;
  delivery: string;
  freeOnly: boolean;
  includeInactive: boolean;
  referralsOnly: boolean;
  age: number | null;
  /** What the user typed as the origin; empty when searching from a person's record. */
  postcode: string;
  /** Search from this episode's person's postcode. */
  episodeId: string;
  radiusMetres: number | null;
  days: number[];
  time: '' | keyof typeof TIMES_OF_DAY;
  sort: 'relevance' | 'distance';
  modifiedAfter: Date | null;
  /** Services after this one in name order, instead of a page number: for reading a whole list in chunks. */
  after: { name: string; id: string } | null;
  page: number;
  perPage: number;
}

export const EMPTY_QUERY: SearchQuery = {
  q: '',
  need: '',
  type: '',
  termId: '',
  taxonomyId: '',
  organisationId: '',
  delivery: '',
  freeOnly: false,
  includeInactive: false,
  referralsOnly: false,
  age: null,
  postcode: '',
  episodeId: '',
  radiusMetres: null,
  days: [],
  time: '',
  sort: 'relevance',
  modifiedAfter: null,
  after: null,
  page: 1,
  perPage: PAGE_SIZE,
};

/** Reads the search page's query string. Bad values are reported and left out of the search. */
export function readSearchQuery(input: unknown, knownTypes: ReadonlySet<string>): { query: SearchQuery; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const flag = (field: string) => ['yes', 'true', 'on'].includes(text(input, field));
  const need = text(input, 'need');
  const type = text(input, 'type');
  const delivery = text(input, 'delivery');
  const ageText = text(input, 'age');
  const postcode = text(input, 'postcode').slice(0, 10);
  const episodeId = text(input, 'episode');
  const radiusText = text(input, 'radius');
  const time = text(input, 'time');
  const pageText = text(input, 'page') || '1';
  if (need && !isOneOf(NEED_DOMAINS, need)) errors.need = 'Select a need from the list';
  if (type && !knownTypes.has(type)) errors.type = 'Select a type of service from the list';
  if (delivery && !isOneOf(DELIVERY, delivery)) errors.delivery = 'Select how the service is delivered from the list';
  const age = ageText ? Number(ageText) : null;
  if (ageText && (!/^\d{1,3}$/.test(ageText) || age! > 130)) errors.age = 'Age must be a whole number of years, like 67';
  if (postcode && !normalisePostcodeOrOutward(postcode)) errors.postcode = 'Enter a full postcode, like DN15 7AB, or the first part, like DN15';
  if (episodeId && !isUuid(episodeId)) errors.postcode = 'The person to search from was not found: search by postcode instead';
  const radius = radiusText ? Number(radiusText) : null;
  if (radiusText && !(RADIUS_MILES as readonly number[]).includes(radius!)) errors.radius = 'Select a distance from the list';
  else if (radius !== null && !postcode && !episodeId) errors.postcode = 'Enter a postcode to search within a distance of it';
  const days = textList(input, 'day', 10).flatMap((day) => (day === 'weekdays' ? ['1', '2', '3', '4', '5'] : [day]));
  if (days.some((day) => !/^[1-7]$/.test(day))) errors.day = 'Select days of the week from the list';
  if (time && !Object.hasOwn(TIMES_OF_DAY, time)) errors.time = 'Select a time of day from the list';
  const page = /^\d{1,4}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  const origin = Boolean((postcode && !errors.postcode) || (episodeId && !errors.postcode));
  return {
    query: {
      ...EMPTY_QUERY,
      q: text(input, 'q').slice(0, 200),
      need: errors.need ? '' : need,
      type: errors.type ? '' : type,
      delivery: errors.delivery ? '' : delivery,
      freeOnly: flag('free'),
      includeInactive: flag('inactive'),
      referralsOnly: flag('referrals'),
      age: errors.age ? null : age,
      postcode: errors.postcode ? '' : postcode,
      episodeId: errors.postcode ? '' : episodeId,
      radiusMetres: errors.radius || !origin || radius === null ? null : radius * METRES_PER_MILE,
      days: errors.day ? [] : [...new Set(days.map(Number))].sort(),
      time: errors.time ? '' : (time as SearchQuery['time']),
      sort: text(input, 'sort') === 'distance' && origin ? 'distance' : 'relevance',
      page,
    },
    errors,
  };
}

/** The query string that gives this search again, on another page. */
export function searchParams(query: SearchQuery, page: number): string {
  const p = new URLSearchParams();
  if (query.q) p.set('q', query.q);
  if (query.need) p.set('need', query.need);
  if (query.type) p.set('type', query.type);
  if (query.delivery) p.set('delivery', query.delivery);
  if (query.age !== null) p.set('age', String(query.age));
  if (query.postcode) p.set('postcode', query.postcode);
  if (query.episodeId) p.set('episode', query.episodeId);
  if (query.radiusMetres !== null) p.set('radius', String(Math.round(query.radiusMetres / METRES_PER_MILE)));
  for (const day of query.days) p.append('day', String(day));
  if (query.time) p.set('time', query.time);
  if (query.freeOnly) p.set('free', 'yes');
  if (query.referralsOnly) p.set('referrals', 'yes');
  if (query.includeInactive) p.set('inactive', 'yes');
  if (query.sort === 'distance') p.set('sort', 'distance');
  p.set('page', String(page));
  return p.toString();
}
