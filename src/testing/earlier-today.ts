import { startOfLondonDay } from '../shared/london-time.js';

/**
 * `minutes` ago, or the start of England's day if that was yesterday: when a contact with someone
 * referred moments ago can have happened, whatever the hour the tests run.
 */
export function earlierToday(minutes: number, now = new Date()): Date {
  return new Date(Math.max(now.getTime() - minutes * 60_000, startOfLondonDay(now).getTime()));
}
