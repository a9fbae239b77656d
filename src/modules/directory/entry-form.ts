import { validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isEmailAddress } from '../../shared/email.js';
import { webAddress } from '../../shared/web-address.js';
import { text, textList } from '../../shared/form.js';
import { normalisePostcode } from '../../shared/postcode.js';
import { NEED_DOMAINS, isOneOf, type NeedDomain } from '../../shared/vocabulary.js';
import type { MappedSchedule } from './feed-details.js';
import { isTime, WEEKDAY_CODES } from './schedules.js';
import { DELIVERY, REFERRAL_MODES, SERVICE_STATUS } from './search-query.js';

/** The directory entry form: what an editor or provider may change, read and checked. Pure. */

export const SESSION_ROWS = 4;
export const SESSION_WEEKS = {
  every: 'Every week',
  other: 'Every other week',
  '1': 'First of the month',
  '2': 'Second of the month',
  '3': 'Third of the month',
  '4': 'Fourth of the month',
  '-1': 'Last of the month',
} as const;

export interface EntryInput {
  name: string;
  description: string | null;
  status: keyof typeof SERVICE_STATUS;
  needDomains: NeedDomain[];
  typeCode: string | null;
  delivery: keyof typeof DELIVERY | null;
  referralMode: keyof typeof REFERRAL_MODES | null;
  capacityNote: string | null;
  free: boolean | null;
  fees: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  eligibility: string | null;
  languages: string[];
  accessibility: string | null;
  serviceArea: string | null;
  url: string | null;
  email: string | null;
  phone: string | null;
  venue: { name: string | null; address1: string | null; city: string | null; postcode: string } | null;
  sessions: Omit<MappedSchedule, 'locationIndex'>[];
  reviewEveryDays: number;
  checked: boolean;
}

const LIMITS = { name: 300, description: 5000, capacityNote: 500, fees: 300, eligibility: 1000, accessibility: 1000, serviceArea: 300, venueName: 300, address1: 300, city: 100 } as const;
/** What the page calls each field, so a message in the error summary says which one is too long. */
const LABELS: Record<keyof typeof LIMITS, string> = {
  name: 'The name',
  description: 'What it offers',
  capacityNote: 'Capacity or waiting',
  fees: 'Charges',
  eligibility: 'Eligibility',
  accessibility: 'Accessibility',
  serviceArea: 'Area it covers',
  venueName: 'Venue name',
  address1: 'Address line',
  city: 'Town or city',
};

function limited(input: unknown, field: keyof typeof LIMITS, errors: FieldErrors): string | null {
  const value = text(input, field);
  if (value.length > LIMITS[field]) errors[field] = `${LABELS[field]} must be ${LIMITS[field].toLocaleString('en-GB')} characters or fewer`;
  return value || null;
}

function wholeNumber(input: unknown, field: string, min: number, max: number, label: string, errors: FieldErrors): number | null {
  const value = text(input, field);
  if (!value) return null;
  if (!/^\d{1,4}$/.test(value) || Number(value) < min || Number(value) > max) {
    errors[field] = `${label} must be a whole number from ${min} to ${max}`;
    return null;
  }
  return Number(value);
}

function readSessions(input: unknown, errors: FieldErrors): EntryInput['sessions'] {
  const sessions: EntryInput['sessions'] = [];
  for (let row = 1; row <= SESSION_ROWS + 20; row += 1) {
    const day = text(input, `day${row}`);
    const week = text(input, `week${row}`) || 'every';
    const opens = text(input, `opens${row}`);
    const closes = text(input, `closes${row}`);
    if (!day && !opens && !closes) continue;
    if (!(WEEKDAY_CODES as readonly string[]).includes(day)) errors[`day${row}`] = `Select the day of session ${row}`;
    if (!isOneOf(SESSION_WEEKS, week)) errors[`week${row}`] = `Select how often session ${row} runs`;
    if (!isTime(opens)) errors[`opens${row}`] = `Enter when session ${row} starts, like 10:00`;
    if (!isTime(closes)) errors[`closes${row}`] = `Enter when session ${row} ends, like 12:00`;
    else if (isTime(opens) && closes <= opens) errors[`closes${row}`] = `Session ${row} must end after it starts`;
    if (errors[`day${row}`] || errors[`week${row}`] || errors[`opens${row}`] || errors[`closes${row}`]) continue;
    const monthly = week !== 'every' && week !== 'other';
    sessions.push({
      freq: monthly ? 'MONTHLY' : 'WEEKLY',
      interval: week === 'other' ? 2 : 1,
      byday: monthly ? `${week}${day}` : day,
      opensAt: opens,
      closesAt: closes,
      validFrom: null,
      validTo: null,
      dtstart: null,
      description: null,
      notes: null,
    });
  }
  return sessions;
}

function readWebAddress(value: string, field: string, errors: FieldErrors): string | null {
  if (!value) return null;
  const url = webAddress(value);
  if (url) return url;
  errors[field] = 'Enter a web address, like https://www.example.org.uk';
  return null;
}

export function readEntryForm(input: unknown, knownTypes: ReadonlySet<string>): EntryInput {
  const errors: FieldErrors = {};
  const name = text(input, 'name');
  if (!name) errors.name = 'Enter the name of the service';
  else if (name.length > LIMITS.name) errors.name = `The name must be ${LIMITS.name} characters or fewer`;
  const status = text(input, 'status');
  if (!isOneOf(SERVICE_STATUS, status)) errors.status = 'Select whether the service is active, paused, online only or closed';
  const needs = textList(input, 'needs');
  if (needs.some((need) => !isOneOf(NEED_DOMAINS, need))) errors.needs = 'Select needs from the list';
  const typeCode = text(input, 'type');
  if (typeCode && !knownTypes.has(typeCode)) errors.type = 'Select a type of service from the list';
  const delivery = text(input, 'delivery');
  if (delivery && !isOneOf(DELIVERY, delivery)) errors.delivery = 'Select how the service is delivered';
  const referralMode = text(input, 'referralMode');
  if (referralMode && !isOneOf(REFERRAL_MODES, referralMode)) errors.referralMode = 'Select how people are referred';
  const freeText = text(input, 'free');
  if (freeText && !['yes', 'no'].includes(freeText)) errors.free = 'Select whether the service is free';
  const minimumAge = wholeNumber(input, 'minimumAge', 0, 130, 'Minimum age', errors);
  const maximumAge = wholeNumber(input, 'maximumAge', 0, 130, 'Maximum age', errors);
  if (minimumAge !== null && maximumAge !== null && maximumAge < minimumAge) errors.maximumAge = 'Maximum age must be the same as or more than the minimum age';
  const email = text(input, 'email');
  if (email && !isEmailAddress(email)) errors.email = 'Enter an email address, like name@example.org.uk';
  const phone = text(input, 'phone');
  if (phone && !/^[0-9+() -]{6,25}$/.test(phone)) errors.phone = 'Enter a phone number, like 01724 123456';
  const postcodeText = text(input, 'postcode');
  const postcode = postcodeText ? normalisePostcode(postcodeText) : undefined;
  if (postcodeText && !postcode) errors.postcode = 'Enter a full postcode, like DN15 7AB';
  const venueName = limited(input, 'venueName', errors);
  const address1 = limited(input, 'address1', errors);
  const city = limited(input, 'city', errors);
  if (!postcodeText && (venueName || address1 || city)) errors.postcode = 'Enter the postcode of the venue, so people can find it by distance';
  const reviewEveryDays = wholeNumber(input, 'reviewEveryDays', 7, 730, 'How often to check', errors) ?? 90;
  const languages = text(input, 'languages')
    .split(/[,;]/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (languages.length > 30 || languages.some((l) => l.length > 60)) errors.languages = 'List up to 30 languages, separated by commas';
  const entry: EntryInput = {
    name,
    description: limited(input, 'description', errors),
    status: status as EntryInput['status'],
    needDomains: needs as NeedDomain[],
    typeCode: typeCode || null,
    delivery: (delivery || null) as EntryInput['delivery'],
    referralMode: (referralMode || null) as EntryInput['referralMode'],
    capacityNote: limited(input, 'capacityNote', errors),
    free: freeText ? freeText === 'yes' : null,
    fees: limited(input, 'fees', errors),
    minimumAge,
    maximumAge,
    eligibility: limited(input, 'eligibility', errors),
    languages,
    accessibility: limited(input, 'accessibility', errors),
    serviceArea: limited(input, 'serviceArea', errors),
    url: readWebAddress(text(input, 'url'), 'url', errors),
    email: email || null,
    phone: phone || null,
    venue: postcode ? { name: venueName, address1, city, postcode } : null,
    sessions: readSessions(input, errors),
    reviewEveryDays,
    checked: text(input, 'checked') === 'yes',
  };
  if (Object.keys(errors).length) throw validationFailed(errors);
  return entry;
}
