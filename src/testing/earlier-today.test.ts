import { describe, expect, it } from 'vitest';
import { earlierToday } from './earlier-today.js';

describe('earlierToday', () => {
  it('goes back the minutes asked for when that is still the same day in England', () => {
    expect(earlierToday(60, new Date('2026-07-15T12:00:00Z')).toISOString()).toBe('2026-07-15T11:00:00.000Z');
  });

  it('stops at the start of the day in England', () => {
    // 00:20 in London in winter (GMT), and in summer (BST, when midnight in London is 23:00 UTC).
    expect(earlierToday(60, new Date('2026-11-22T00:20:00Z')).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(earlierToday(60, new Date('2026-07-15T23:20:00Z')).toISOString()).toBe('2026-07-15T23:00:00.000Z');
  });
});
