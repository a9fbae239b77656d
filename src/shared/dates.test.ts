import { describe, expect, it } from 'vitest';
import { daysBetween } from './dates.js';

describe('daysBetween', () => {
  it("counts England's calendar days, not 24-hour spans", () => {
    expect(daysBetween(new Date('2026-11-20T23:30:00Z'), new Date('2026-11-21T08:00:00Z'))).toBe(1);
    expect(daysBetween(new Date('2026-11-21T00:30:00Z'), new Date('2026-11-21T23:30:00Z'))).toBe(0);
    // 23:30 UTC on 14 July is 00:30 on the 15th in England (British Summer Time).
    expect(daysBetween(new Date('2026-07-14T22:30:00Z'), new Date('2026-07-14T23:30:00Z'))).toBe(1);
  });

  it('is whole days across the change of the clocks', () => {
    expect(daysBetween(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T12:00:00Z'))).toBe(2);
    expect(daysBetween(new Date('2026-10-24T12:00:00Z'), new Date('2026-10-26T12:00:00Z'))).toBe(2);
  });
});
