import { textList } from '../../shared/form.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { mainType } from './directory-editing.js';
import type { DirectoryEntry } from './directory-entries.js';
import { SESSION_ROWS, SESSION_WEEKS } from './entry-form.js';
import { parseByday, WEEKDAY_CODES, WEEKDAY_NAMES } from './schedules.js';
import { DELIVERY, REFERRAL_MODES, SERVICE_STATUS } from './search-query.js';
import { serviceTypeOptions } from './taxonomies.js';

/** The entry form's values from a saved entry. */
export function entryValues(service: DirectoryEntry): Record<string, unknown> {
  const venue = service.locations[0];
  const values: Record<string, unknown> = {
    version: service.updated_at.toISOString(),
    name: service.name,
    description: service.description ?? '',
    status: service.status,
    needs: service.need_domains,
    type: mainType(service)?.code ?? '',
    delivery: service.delivery ?? '',
    referralMode: service.referral_mode ?? '',
    capacityNote: service.capacity_note ?? '',
    free: service.free === null ? '' : service.free ? 'yes' : 'no',
    fees: service.fees ?? '',
    minimumAge: service.minimum_age ?? '',
    maximumAge: service.maximum_age ?? '',
    eligibility: service.eligibility ?? '',
    languages: service.languages.join(', '),
    accessibility: service.accessibility ?? '',
    serviceArea: service.service_area ?? '',
    url: service.url ?? '',
    email: service.email ?? '',
    phone: service.phone ?? '',
    venueName: venue?.name ?? '',
    address1: venue?.address_1 ?? '',
    city: venue?.city ?? '',
    postcode: venue?.postcode ?? '',
    reviewEveryDays: String(service.review_every_days),
    checked: 'yes',
  };
  let row = 0;
  for (const schedule of service.schedules) {
    for (const part of parseByday(schedule.byday) ?? []) {
      row += 1;
      values[`day${row}`] = part.day;
      values[`week${row}`] = schedule.freq === 'MONTHLY' ? String(part.nth ?? 1) : schedule.interval === 2 ? 'other' : 'every';
      values[`opens${row}`] = schedule.opens_at.slice(0, 5);
      values[`closes${row}`] = schedule.closes_at.slice(0, 5);
    }
  }
  values.sessionRows = Math.max(SESSION_ROWS, row + 1);
  return values;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
const options = (list: Record<string, string>, selected: unknown, blank: string) => [
  { value: '', text: blank },
  ...Object.entries(list).map(([value, text]) => ({ value, text, selected: value === str(selected) })),
];

/** Everything the entry form template needs besides the values: the options for each choice. */
export function entryFormView(values: Record<string, unknown>, errors?: Record<string, string>) {
  const needs = new Set(textList(values, 'needs'));
  const rows = Math.max(Number(values.sessionRows) || SESSION_ROWS, ...Object.keys(values).filter((k) => /^day\d+$/.test(k)).map((k) => Number(k.slice(3))));
  return {
    values,
    errors,
    statusItems: Object.entries(SERVICE_STATUS).map(([value, text]) => ({ value, text, checked: value === str(values.status) })),
    needItems: Object.entries(NEED_DOMAINS).map(([value, text]) => ({ value, text, checked: needs.has(value) })),
    typeOptions: [{ value: '', text: 'Select a type (optional)' }, ...serviceTypeOptions().map((t) => ({ value: t.code, text: t.label, selected: t.code === str(values.type) }))],
    deliveryOptions: options(DELIVERY, values.delivery, 'Select how (optional)'),
    referralOptions: options(REFERRAL_MODES, values.referralMode, 'Select how (optional)'),
    freeItems: [
      { value: 'yes', text: 'Yes, it is free', checked: str(values.free) === 'yes' },
      { value: 'no', text: 'No, there is a charge', checked: str(values.free) === 'no' },
    ],
    sessions: Array.from({ length: rows }, (_, i) => {
      const n = i + 1;
      return {
        n,
        dayOptions: [{ value: '', text: 'No session' }, ...WEEKDAY_CODES.map((code) => ({ value: code, text: WEEKDAY_NAMES[code], selected: code === str(values[`day${n}`]) }))],
        weekOptions: Object.entries(SESSION_WEEKS).map(([value, text]) => ({ value, text, selected: value === (str(values[`week${n}`]) || 'every') })),
        opens: str(values[`opens${n}`]),
        closes: str(values[`closes${n}`]),
      };
    }),
  };
}
