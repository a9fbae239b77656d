import { describe, expect, it } from 'vitest';
import { londonDateTime, londonParts, startOfLondonDay } from './london-time.js';

describe('London wall-clock time', () => {
  it('is UTC in winter and UTC+1 in summer', () => {
    expect(londonDateTime('2026-01-15', '09:30').toISOString()).toBe('2026-01-15T09:30:00.000Z');
    expect(londonDateTime('2026-07-15', '09:30').toISOString()).toBe('2026-07-15T08:30:00.000Z');
  });

  it('ignores seconds when finding the offset', () => {
    expect(londonParts(new Date('2026-11-21T10:15:45.900Z'))).toEqual({ date: '2026-11-21', time: '10:15' });
    expect(londonParts(new Date('2026-07-21T10:15:31.000Z'))).toEqual({ date: '2026-07-21', time: '11:15' });
  });

  it('round-trips', () => {
    for (const [date, time] of [['2026-03-29', '12:00'], ['2026-10-25', '18:45'], ['2026-12-31', '23:59']] as const) {
      expect(londonParts(londonDateTime(date, time))).toEqual({ date, time });
    }
  });

  it("finds midnight at the start of England's day, in winter and in summer", () => {
    expect(startOfLondonDay(new Date('2026-11-22T00:20:00Z')).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(startOfLondonDay(new Date('2026-07-14T23:20:00Z')).toISOString()).toBe('2026-07-14T23:00:00.000Z');
    expect(startOfLondonDay(new Date('2026-07-14T22:50:00Z')).toISOString()).toBe('2026-07-13T23:00:00.000Z');
  });
});
