import type { FieldErrors } from '../../platform/errors.js';
import { datePartsOf, parseDateParts, parseIsoDate } from '../../shared/dates.js';
import { isEmailAddress } from '../../shared/email.js';
import { text } from '../../shared/form.js';
import { isValidNhsNumber, nhsNumberDigits } from '../../shared/nhs-number.js';
import { outcodeCentroid } from '../../shared/outcodes.js';
import { normalisePostcode } from '../../shared/postcode.js';
import { CONTACT_METHODS, ETHNIC_CATEGORIES, SEXES, isOneOf, type ContactMethod, type EthnicCategory, type Sex } from '../../shared/vocabulary.js';

/** A person's details as entered on a form or sent to the API, validated. */
export interface PersonDetails {
  nhsNumber: string | null;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  dateOfBirth: string | null;
  sex: Sex | null;
  gender: string | null;
  postcode: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  contactMethod: ContactMethod | null;
  contactTimes: string | null;
  interpreterLanguage: string | null;
  accessibilityNeeds: string | null;
  easyRead: boolean;
  ethnicity: EthnicCategory | null;
  consentReferral: boolean;
  consentShareProviders: boolean;
  consentEvaluation: boolean;
}

export interface PersonRules {
  /** Practice referrals need the NHS number; self-referrals may not know it. */
  nhsNumberRequired: boolean;
  /** Today, ISO, so dates in the future can be refused. */
  today: string;
  /** Whose details: staff entering someone's ("their"), or the person filling in the public form ("your"). */
  voice?: Voice;
}

export type Voice = 'their' | 'your';

const LIMITS = { name: 100, short: 200, long: 2000 } as const;

/** Booleans come as "yes"/"true"/"on" from forms and as true from JSON. */
export function flag(input: unknown, field: string): boolean {
  const value = (input as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(value)) return value.some((v) => ['yes', 'true', 'on'].includes(String(v)));
  return value === true || ['yes', 'true', 'on'].includes(String(value));
}

/** A date given either as ISO (API: `dateOfBirth`) or as the NHS date input's fields (pages: `dateOfBirth[day]` …). */
export function dateField(input: unknown, field: string, label: string): { date?: string; error?: string; empty: boolean } {
  const iso = text(input, field);
  if (iso) return parseIsoDate(iso) ? { date: iso, empty: false } : { empty: false, error: `${label} must be a real date, like 2007-03-27` };
  return parseDateParts(datePartsOf(input, field), label);
}

export function validatePerson(input: unknown, rules: PersonRules, errors: FieldErrors): PersonDetails {
  const their = rules.voice ?? 'their';
  const optional = (field: string, max: number = LIMITS.short, label = 'This') => {
    const value = text(input, field);
    if (value.length > max) errors[field] = `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;
    return value || null;
  };

  const nhsText = text(input, 'nhsNumber');
  let nhsNumber: string | null = null;
  if (!nhsText) {
    if (rules.nhsNumberRequired) errors.nhsNumber = `Enter ${their} NHS number`;
  } else if (!nhsNumberDigits(nhsText)) {
    errors.nhsNumber = 'NHS number must be 10 digits, like 943 476 5919';
  } else if (!isValidNhsNumber(nhsText)) {
    errors.nhsNumber = 'This is not a valid NHS number. Check it and try again';
  } else {
    nhsNumber = nhsNumberDigits(nhsText)!;
  }

  const givenName = text(input, 'givenName');
  const familyName = text(input, 'familyName');
  if (!givenName) errors.givenName = `Enter ${their} first name`;
  else if (givenName.length > LIMITS.name) errors.givenName = `First name must be ${LIMITS.name} characters or fewer`;
  if (!familyName) errors.familyName = `Enter ${their} last name`;
  else if (familyName.length > LIMITS.name) errors.familyName = `Last name must be ${LIMITS.name} characters or fewer`;

  const dob = dateField(input, 'dateOfBirth', 'Date of birth');
  if (dob.error) errors.dateOfBirth = dob.error;
  else if (dob.empty) errors.dateOfBirth = `Enter ${their} date of birth`;
  else if (dob.date! > rules.today) errors.dateOfBirth = 'Date of birth must be today or in the past';
  else if (dob.date! < '1900-01-01') errors.dateOfBirth = 'Date of birth must be after 1 January 1900';

  const sex = text(input, 'sex');
  if (sex && !isOneOf(SEXES, sex)) errors.sex = `Select ${their} sex from the list`;

  const postcodeText = text(input, 'postcode');
  let postcode: string | null = null;
  if (postcodeText) {
    postcode = normalisePostcode(postcodeText) ?? null;
    if (!postcode) errors.postcode = 'Enter a real postcode, like DN15 6ER';
    else if (!outcodeCentroid(postcode.split(' ')[0]!)) errors.postcode = 'We do not recognise this postcode. Check it and try again';
  }

  const email = optional('email', 254, 'Email address');
  if (email && !isEmailAddress(email)) errors.email = 'Enter an email address in the correct format, like name@example.com';
  const phone = optional('phone', 30, 'Phone number');
  if (phone && !/^[+()\d\s-]{6,30}$/.test(phone)) errors.phone = 'Enter a phone number, like 01724 123456 or 07700 900982';

  const contactMethod = text(input, 'contactMethod');
  if (contactMethod && !isOneOf(CONTACT_METHODS, contactMethod)) errors.contactMethod = `Select how ${their === 'your' ? 'you prefer' : 'they prefer'} to be contacted`;
  const ethnicity = text(input, 'ethnicity');
  if (ethnicity && !isOneOf(ETHNIC_CATEGORIES, ethnicity)) errors.ethnicity = `Select ${their} ethnic group from the list`;

  return {
    nhsNumber,
    givenName,
    familyName,
    preferredName: optional('preferredName', LIMITS.name, 'Preferred name'),
    dateOfBirth: dob.date ?? null,
    sex: sex && isOneOf(SEXES, sex) ? sex : null,
    gender: optional('gender', LIMITS.name, 'Gender'),
    postcode,
    address: optional('address', LIMITS.short * 2, 'Address'),
    phone,
    email,
    contactMethod: contactMethod && isOneOf(CONTACT_METHODS, contactMethod) ? contactMethod : null,
    contactTimes: optional('contactTimes', LIMITS.short, 'Contact times'),
    interpreterLanguage: optional('interpreterLanguage', LIMITS.name, 'Language'),
    accessibilityNeeds: optional('accessibilityNeeds', LIMITS.long, 'Accessibility needs'),
    easyRead: flag(input, 'easyRead'),
    ethnicity: ethnicity && isOneOf(ETHNIC_CATEGORIES, ethnicity) ? ethnicity : null,
    consentReferral: flag(input, 'consentReferral'),
    consentShareProviders: flag(input, 'consentShareProviders'),
    consentEvaluation: flag(input, 'consentEvaluation'),
  };
}
