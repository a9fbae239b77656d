/** Dates without a time zone (dates of birth, target dates) as ISO strings, and the NHS date input's three fields. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function parseIsoDate(value: string): string | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  return isRealDate(Number(match[1]), Number(match[2]), Number(match[3])) ? value : undefined;
}

export type DateParts = { day: string; month: string; year: string };

/** The NHS date input: day, month and year fields. Returns an ISO date or what is wrong with it. */
export function parseDateParts(parts: DateParts, label: string): { date?: string; error?: string; empty: boolean } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { empty: true };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  if (missing.length) return { empty: false, error: `${label} must include a ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return { empty: false, error: `${label} must be a real date, like 27 3 2007` };
  }
  if (!isRealDate(Number(year), Number(month), Number(day))) return { empty: false, error: `${label} must be a real date, like 27 3 2007` };
  return { empty: false, date: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` };
}

// Made once: building a formatter costs about 0.4 ms, more than some whole pages' queries.
const LONDON_ISO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });

/** Today in England, as an ISO date. */
export function todayInLondon(now = new Date()): string {
  return LONDON_ISO_DATE.format(now);
}

/** The three fields of an NHS date input named `field` (`field[day]`, or `field-day` as older clients send). */
export function datePartsOf(input: unknown, field: string): DateParts {
  const values = (input ?? {}) as Record<string, unknown>;
  const part = (name: string) => {
    const value = values[`${field}[${name}]`] ?? values[`${field}-${name}`];
    return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  };
  return { day: part('day'), month: part('month'), year: part('year') };
}

export function splitIsoDate(value: string | null | undefined): DateParts {
  const match = value ? ISO_DATE.exec(value) : null;
  return match ? { year: match[1]!, month: String(Number(match[2])), day: String(Number(match[3])) } : { day: '', month: '', year: '' };
}

/** Whole days from one moment to another by England's calendar: yesterday evening to this morning is 1. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(todayInLondon(to)) - Date.parse(todayInLondon(from))) / 86_400_000);
}

export function ageOn(dateOfBirth: string, onDate: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
