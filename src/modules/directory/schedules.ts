import rrulePkg from 'rrule';
import { londonParts } from '../../shared/london-time.js';

const { RRule } = rrulePkg;

/**
 * Regular sessions as HSDS schedules hold them: iCalendar frequency, interval and BYDAY
 * ("TU", "MO,WE", or "4TH" for the fourth Thursday of a monthly schedule), with opening times.
 * Pure: parsing, describing, and the next session after a moment (with the rrule library).
 */

export const WEEKDAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekdayCode = (typeof WEEKDAY_CODES)[number];
export const WEEKDAY_NAMES: Record<WeekdayCode, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const ORDINALS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', [-1]: 'last' };

export interface ScheduleRule {
  freq: 'WEEKLY' | 'MONTHLY';
  interval: number;
  byday: string;
  opensAt: string;
  closesAt: string;
  validFrom?: string | null;
  validTo?: string | null;
  dtstart?: string | null;
}

interface DayPart {
  nth: number | null;
  day: WeekdayCode;
}

const BYDAY_PART = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/;

/** Parses a BYDAY list; undefined when any part is not a day (with an optional week number). */
export function parseByday(byday: string): DayPart[] | undefined {
  const parts = byday
    .toUpperCase()
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (!parts.length) return undefined;
  const parsed: DayPart[] = [];
  for (const part of parts) {
    const match = BYDAY_PART.exec(part);
    if (!match) return undefined;
    parsed.push({ nth: match[1] ? Number(match[1]) : null, day: match[2] as WeekdayCode });
  }
  return parsed;
}

/** The ISO weekdays (1 Monday … 7 Sunday) a BYDAY list falls on, for the day filter. */
export function isoWeekdays(byday: string): number[] {
  return [...new Set((parseByday(byday) ?? []).map((part) => WEEKDAY_CODES.indexOf(part.day) + 1))].sort();
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/;
export const isTime = (value: string) => TIME.test(value);
const hhmm = (time: string) => time.slice(0, 5);

/** "Tuesdays, 10:00 to 12:00", "Every other Monday and Wednesday, …", "The fourth Thursday of the month, …". */
export function describeSchedule(rule: Pick<ScheduleRule, 'freq' | 'interval' | 'byday' | 'opensAt' | 'closesAt'>): string {
  const parts = parseByday(rule.byday) ?? [];
  const times = `${hhmm(rule.opensAt)} to ${hhmm(rule.closesAt)}`;
  const names = (list: string[]) => (list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : list[0] ?? '');
  if (rule.freq === 'MONTHLY') {
    const days = names(parts.map((part) => `${part.nth ? `the ${ORDINALS[part.nth] ?? `${part.nth}th`} ` : 'every '}${WEEKDAY_NAMES[part.day]}`));
    return `${days.charAt(0).toUpperCase()}${days.slice(1)} of ${rule.interval > 1 ? `every ${rule.interval} months` : 'the month'}, ${times}`;
  }
  const days = names(parts.map((part) => WEEKDAY_NAMES[part.day]));
  if (rule.interval === 1) return `${names(parts.map((part) => `${WEEKDAY_NAMES[part.day]}s`))}, ${times}`;
  return `${rule.interval === 2 ? 'Every other' : `Every ${rule.interval} weeks on`} ${days}, ${times}`;
}

/** England wall-clock time held in a Date's UTC fields, which is how rrule computes ("floating" time). */
function floatingNow(now: Date): Date {
  const { date, time } = londonParts(now);
  return new Date(`${date}T${time}:00Z`);
}

/**
 * The next session starting after `now`, as England wall-clock date and time, or null when the
 * schedule has ended or cannot be read.
 */
export function nextSession(rule: ScheduleRule, now: Date): { date: string; time: string; closes: string } | null {
  const parts = parseByday(rule.byday);
  if (!parts || !isTime(rule.opensAt)) return null;
  const start = [rule.dtstart, rule.validFrom].filter((d): d is string => Boolean(d)).sort().at(-1) ?? '2000-01-03';
  const [hour, minute] = rule.opensAt.split(':').map(Number) as [number, number];
  const dtstart = new Date(`${start}T00:00:00Z`);
  dtstart.setUTCHours(hour, minute);
  // rrule walks forward from dtstart, so bring a long-past start up to near now, by whole
  // intervals so "every other week" and "every 3 months" keep their rhythm.
  const from = floatingNow(now);
  if (rule.freq === 'WEEKLY') {
    const step = rule.interval * 7 * 86_400_000;
    const steps = Math.floor((from.getTime() - dtstart.getTime()) / step) - 1;
    if (steps > 0) dtstart.setTime(dtstart.getTime() + steps * step);
  } else {
    const months = (from.getUTCFullYear() - dtstart.getUTCFullYear()) * 12 + from.getUTCMonth() - dtstart.getUTCMonth();
    const steps = Math.floor(months / rule.interval) - 1;
    if (steps > 0) dtstart.setUTCMonth(dtstart.getUTCMonth() + steps * rule.interval, 1);
  }
  const options = {
    freq: rule.freq === 'MONTHLY' ? RRule.MONTHLY : RRule.WEEKLY,
    interval: rule.interval,
    byweekday: parts.map((part) => {
      const weekday = RRule[part.day];
      return part.nth ? weekday.nth(part.nth) : weekday;
    }),
    byhour: [hour],
    byminute: [minute],
    bysecond: [0],
    dtstart,
    ...(rule.validTo ? { until: new Date(`${rule.validTo}T23:59:59Z`) } : {}),
  };
  const next = new RRule(options).after(from, false);
  if (!next) return null;
  return { date: next.toISOString().slice(0, 10), time: next.toISOString().slice(11, 16), closes: hhmm(rule.closesAt) };
}

/** The earliest next session of several schedules. */
export function earliestSession(rules: ScheduleRule[], now: Date) {
  return rules
    .map((rule) => nextSession(rule, now))
    .filter((session): session is NonNullable<typeof session> => session !== null)
    .sort((a, b) => `${a.date}${a.time}`.localeCompare(`${b.date}${b.time}`))[0] ?? null;
}

/** Parts of the day a link worker can search by. */
export const TIMES_OF_DAY = {
  morning: { label: 'Morning (before 12pm)', from: '00:00', to: '12:00' },
  afternoon: { label: 'Afternoon (12pm to 5pm)', from: '12:00', to: '17:00' },
  evening: { label: 'Evening (after 5pm)', from: '17:00', to: '24:00' },
} as const;
