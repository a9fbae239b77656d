import { describe, expect, it } from 'vitest';
import { diaryWindow } from './caseload-service.js';

describe('the diary window', () => {
  it('starts at midnight in England, in winter and in summer, whatever the server clock', () => {
    expect(diaryWindow(new Date('2026-11-22T09:00:00Z'), 28).from.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    // 00:30 British Summer Time is 23:30 UTC the day before: the diary starts at today's midnight in England.
    expect(diaryWindow(new Date('2026-07-14T23:30:00Z'), 28).from.toISOString()).toBe('2026-07-14T23:00:00.000Z');
    expect(diaryWindow(new Date('2026-07-15T12:00:00Z'), 28).from.toISOString()).toBe('2026-07-14T23:00:00.000Z');
  });

  it('runs for the days asked for', () => {
    const { from, to } = diaryWindow(new Date('2026-11-22T09:00:00Z'), 28);
    expect((to.getTime() - from.getTime()) / 86_400_000).toBe(28);
  });
});
