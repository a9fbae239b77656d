import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { FeedError, importServices, parseFeed } from './directory-import-service.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/north-lincolnshire-oruk-v1-services-2024-12.redacted.json');

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('importing the North Lincolnshire Open Referral UK v1 feed', () => {
  const records = parseFeed(fs.readFileSync(FIXTURE, 'utf8'));

  it('accounts for every one of the 738 services', async () => {
    expect(records).toHaveLength(738);
    const report = await importServices(t.database.db, records, { source: 'north-lincolnshire', format: 'oruk-json', actor: null });
    expect(report.created + report.updated + report.skipped.length).toBe(738);
    expect(report.created).toBe(738);
    expect(report.skipped).toEqual([]);
    // Real mess: a way of attending the v1 list does not have, and an email address ending in a dot
    // (kept out of the record and flagged; an invisible zero-width space before another is simply removed).
    expect(report.flagged.flatMap((f) => f.issues.map((i) => `${i.field}: ${i.problem} (${i.value})`)).sort()).toEqual([
      'attending_type: not a known way of attending (information advice and guidance)',
      'email: not an email address (young.voice@northlincs.gov.uk.)',
    ]);
    const count = await t.database.db.selectFrom('directory_service').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(738);
  });

  it('keeps the words of descriptions but no HTML', async () => {
    const service = await t.database.db.selectFrom('directory_service').select('description').where('source_id', '=', '738f94e0-aa6c-6a5c-2395-7b64421ba2a5').executeTakeFirstOrThrow();
    expect(service.description).toContain('Struggling with Drug & Alcohol Addiction?');
    expect(service.description).not.toMatch(/<\/?p>|&amp;|&nbsp;/);
  });

  it('updates instead of duplicating when run again', async () => {
    const report = await importServices(t.database.db, records, { source: 'north-lincolnshire', format: 'oruk-json', actor: null });
    expect(report).toMatchObject({ created: 0, updated: 738 });
    const count = await t.database.db.selectFrom('directory_service').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(738);
    const imports = await t.database.db.selectFrom('directory_import').select(['created', 'updated', 'skipped']).orderBy('started_at').execute();
    expect(imports).toEqual([{ created: 738, updated: 0, skipped: 0 }, { created: 0, updated: 738, skipped: 0 }]);
  });

  it('reports each broken record of a messy feed and imports the rest', async () => {
    const messy = records.slice(0, 50).map((record, i) => {
      const copy: Record<string, unknown> = { ...(record as Record<string, unknown>), id: `messy-${i}` };
      if (i % 10 === 0) delete copy.name;
      if (i % 10 === 1) copy.email = 'broken@';
      return copy;
    });
    const report = await importServices(t.database.db, messy, { source: 'messy-feed', format: 'oruk-json', actor: null });
    expect(report.skipped).toHaveLength(5);
    expect(report.skipped.every((s) => s.reason === 'no name')).toBe(true);
    expect(report.created).toBe(45);
    expect(report.flagged.filter((f) => f.issues.some((i) => i.field === 'email')).length).toBe(5);
  });

  it('refuses a file that is not JSON, or JSON that is not a feed, with a readable message', () => {
    expect(() => parseFeed('<html>not json</html>')).toThrow(FeedError);
    expect(() => parseFeed('<html>not json</html>')).toThrow(/^The feed is not JSON/);
    expect(() => parseFeed('{"hello":"world"}')).toThrow('This is not an Open Referral feed');
  });
});
