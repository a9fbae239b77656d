/** Wall-clock times in England: a date and "HH:MM" as the instant they name in Europe/London. */

// Made once: building a formatter costs far more than using one.
const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

function offsetMinutes(at: Date): number {
  // Whole minutes only: the formatted parts below have no seconds.
  const instant = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  const parts = LONDON.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - instant.getTime()) / 60_000);
}

export function londonDateTime(date: string, time: string): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const guess = new Date(Date.UTC(year, month - 1, day, hour, minute));
  return new Date(guess.getTime() - offsetMinutes(guess) * 60_000);
}

/** The London date (YYYY-MM-DD) and time (HH:MM) of an instant, for forms. */
export function londonParts(instant: Date): { date: string; time: string } {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant) * 60_000);
  return { date: shifted.toISOString().slice(0, 10), time: shifted.toISOString().slice(11, 16) };
}

/** Midnight in England at the start of the day an instant falls on. */
export const startOfLondonDay = (instant: Date): Date => londonDateTime(londonParts(instant).date, '00:00');

const READABLE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London' });

/** An instant as people in England read it, like "20 Nov 2026, 10:30". */
export const readableLondonTime = (instant: Date): string => READABLE.format(instant);

const READABLE_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** The day an instant falls on in England, like "20 November 2026". */
export const readableLondonDate = (instant: Date): string => READABLE_DATE.format(instant);
