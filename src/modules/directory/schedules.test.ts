import { describe, expect, it } from 'vitest';
import { describeSchedule, earliestSession, isoWeekdays, nextSession, parseByday } from './schedules.js';

const weekly = { freq: 'WEEKLY' as const, interval: 1, byday: 'TU', opensAt: '10:00', closesAt: '12:00' };

describe('schedules', () => {
  it('reads BYDAY lists, with week numbers for monthly schedules', () => {
    expect(parseByday('MO,we')).toEqual([
      { nth: null, day: 'MO' },
      { nth: null, day: 'WE' },
    ]);
    expect(parseByday('4TH')).toEqual([{ nth: 4, day: 'TH' }]);
    expect(parseByday('-1FR')).toEqual([{ nth: -1, day: 'FR' }]);
    expect(parseByday('Tuesday')).toBeUndefined();
    expect(parseByday('')).toBeUndefined();
    expect(isoWeekdays('SU,MO,4TH')).toEqual([1, 4, 7]);
  });

  it('describes sessions in words', () => {
    expect(describeSchedule(weekly)).toBe('Tuesdays, 10:00 to 12:00');
    expect(describeSchedule({ ...weekly, byday: 'MO,WE,FR' })).toBe('Mondays, Wednesdays and Fridays, 10:00 to 12:00');
    expect(describeSchedule({ ...weekly, interval: 2, byday: 'MO' })).toBe('Every other Monday, 10:00 to 12:00');
    expect(describeSchedule({ ...weekly, freq: 'MONTHLY', byday: '4TH', opensAt: '13:30:00', closesAt: '15:00:00' })).toBe(
      'The fourth Thursday of the month, 13:30 to 15:00',
    );
  });

  it('finds the next session in England time, across the clock change', () => {
    // Saturday 21 November 2026, 09:00 GMT: next Tuesday is the 24th.
    expect(nextSession(weekly, new Date('2026-11-21T09:00:00Z'))).toEqual({ date: '2026-11-24', time: '10:00', closes: '12:00' });
    // Tuesday 24 November at 10:30: that session has started, so the next is a week later.
    expect(nextSession(weekly, new Date('2026-11-24T10:30:00Z'))?.date).toBe('2026-12-01');
    // In summer time 09:30 UTC is 10:30 in London: the session has already begun.
    expect(nextSession(weekly, new Date('2026-06-02T09:30:00Z'))?.date).toBe('2026-06-09');
    expect(nextSession(weekly, new Date('2026-06-02T08:30:00Z'))?.date).toBe('2026-06-02');
  });

  it('follows monthly rules, validity dates, and reports the earliest of several', () => {
    const fourthThursday = { freq: 'MONTHLY' as const, interval: 1, byday: '4TH', opensAt: '14:00', closesAt: '16:00' };
    expect(nextSession(fourthThursday, new Date('2026-11-21T09:00:00Z'))?.date).toBe('2026-11-26');
    expect(nextSession({ ...weekly, validTo: '2026-11-01' }, new Date('2026-11-21T09:00:00Z'))).toBeNull();
    expect(nextSession({ ...weekly, validFrom: '2027-01-01' }, new Date('2026-11-21T09:00:00Z'))?.date).toBe('2027-01-05');
    expect(earliestSession([fourthThursday, weekly], new Date('2026-11-21T09:00:00Z'))?.date).toBe('2026-11-24');
    expect(nextSession({ ...weekly, byday: 'nonsense' }, new Date())).toBeNull();
  });

  it('keeps the rhythm of fortnightly and quarterly sessions that started long ago', () => {
    const fortnightly = { freq: 'WEEKLY' as const, interval: 2, byday: 'MO', opensAt: '10:00', closesAt: '11:00' };
    expect(nextSession({ ...fortnightly, dtstart: '2026-01-05' }, new Date('2026-11-21T09:00:00Z'))?.date).toBe('2026-11-23');
    expect(nextSession({ ...fortnightly, dtstart: '2026-01-12' }, new Date('2026-11-21T09:00:00Z'))?.date).toBe('2026-11-30');
    expect(nextSession({ ...fortnightly, dtstart: '2001-01-01' }, new Date('2026-11-21T09:00:00Z'))?.date).toMatch(/^2026-(11-23|11-30)$/);
    const quarterly = { freq: 'MONTHLY' as const, interval: 3, byday: '1WE', opensAt: '18:00', closesAt: '20:00', dtstart: '2020-01-01' };
    // January, April, July, October…: the first Wednesday of January 2027 is the 6th.
    expect(nextSession(quarterly, new Date('2026-11-21T09:00:00Z'))?.date).toBe('2027-01-06');
  });
});
