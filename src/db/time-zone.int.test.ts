import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("the database session's time zone (ADR 22)", () => {
  it("gives England's day for a moment, in summer and in winter, on every connection", async () => {
    const days = await Promise.all(
      Array.from({ length: 4 }, () =>
        sql<{ summer: string; winter: string }>`select (timestamptz '2026-07-14 23:30:00+00')::date::text as summer, (timestamptz '2026-11-21 23:30:00+00')::date::text as winter`.execute(t.database.db),
      ),
    );
    for (const { rows } of days) expect(rows[0]).toEqual({ summer: '2026-07-15', winter: '2026-11-21' });
  });

  it('is the same for the owner (migrations and set-up)', async () => {
    const rows = await t.database.withOwner((run) => run(`select current_setting('TimeZone') as zone`));
    expect(rows[0]).toEqual({ zone: 'Europe/London' });
  });
});
