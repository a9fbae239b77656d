import { todayInLondon } from '../shared/dates.js';
import { londonDateTime } from '../shared/london-time.js';

/**
 * `minutes` ago, or the start of England's day if that was yesterday: when a contact with someone
 * referred moments ago can have happened, whatever the hour the tests run.
 */
export function earlierToday(minutes: number, now = new Date()): Date {
  const startOfDay = londonDateTime(todayInLondon(now), '00:00');
  return new Date(Math.max(now.getTime() - minutes * 60_000, startOfDay.getTime()));
}
