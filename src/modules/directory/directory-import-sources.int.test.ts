import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';
import { orukProblems } from '../../testing/oruk-schemas.js';
import { FeedError, importServices } from './directory-import-service.js';
import { fetchFeed, parseFeed, recordsFromCsvPackage } from './feed-sources.js';

/** Feeds from a URL paged to the end, HSDS CSV data packages, the editors' upload page, and exports. */

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const NL = parseFeed(fs.readFileSync(path.join(FIXTURES, 'north-lincolnshire-oruk-v1-services-2024-12.redacted.json'), 'utf8'));
const CSV_DIR = path.join(FIXTURES, 'hsds-csv-package');
const csvFiles = () => new Map(fs.readdirSync(CSV_DIR).filter((f) => f.endsWith('.csv')).map((f) => [f, fs.readFileSync(path.join(CSV_DIR, f), 'utf8')]));

let t: TestContext;
let editor: TestBrowser;
let server: http.Server;
let base: string;
beforeAll(async () => {
  t = await createTestApp();
  editor = await signedInAs(t.app, 'directory_editor');
  // An ORUK 3.0 API serving the real feed in pages of 100; /broken fails on page 3.
  server = http.createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    const page = Number(url.searchParams.get('page') ?? 1);
    if (url.pathname === '/broken/services' && page === 3) {
      response.writeHead(500).end('database down');
      return;
    }
    const perPage = 100;
    const contents = NL.slice((page - 1) * perPage, page * perPage);
    const totalPages = Math.ceil(NL.length / perPage);
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ total_items: NL.length, total_pages: totalPages, page_number: page, size: contents.length, first_page: page === 1, last_page: page === totalPages, empty: !contents.length, contents }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  server.close();
  await t.close();
});

const count = async (source: string) =>
  Number((await t.database.db.selectFrom('directory_service').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', source).executeTakeFirstOrThrow()).n);

describe('a feed at an address', () => {
  it('is read page by page to the end, and every record accounted for', async () => {
    const pages: number[] = [];
    const records = await fetchFeed(`${base}/oruk/services`, { onPage: (page) => pages.push(page) });
    expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const report = await importServices(t.database.db, records, { source: 'by-url', format: 'oruk-json-url', actor: null });
    expect(report.created + report.updated + report.skipped.length).toBe(738);
    expect(await count('by-url')).toBe(738);
  });

  it('that fails part way imports nothing, and says which page failed', async () => {
    await expect(fetchFeed(`${base}/broken/services`)).rejects.toThrow(new FeedError('Page 3 of the feed answered 500 Internal Server Error'));
    await expect(fetchFeed('ftp://example.org/services')).rejects.toThrow(FeedError);
  });

  it('tries a page again when the connection drops, but not when it answers with an error or times out', async () => {
    const calls: string[] = [];
    const dropsOnce: typeof fetch = async (input, init) => {
      calls.push(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url);
      if (calls.length === 1) throw new TypeError('fetch failed');
      return fetch(input, init);
    };
    expect(await fetchFeed(`${base}/oruk/services`, { fetch: dropsOnce })).toHaveLength(738);
    expect(calls.filter((c) => c.includes('page=1&') || c.endsWith('page=1'))).toHaveLength(2);

    let tries = 0;
    const alwaysDrops: typeof fetch = async () => {
      tries += 1;
      throw new TypeError('fetch failed');
    };
    await expect(fetchFeed(`${base}/oruk/services`, { fetch: alwaysDrops })).rejects.toThrow(new FeedError('Could not fetch page 1 of the feed (tried 3 times): fetch failed'));
    expect(tries).toBe(3);

    tries = 0;
    const timesOut: typeof fetch = async () => {
      tries += 1;
      throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    };
    await expect(fetchFeed(`${base}/oruk/services`, { fetch: timesOut })).rejects.toThrow(FeedError);
    expect(tries).toBe(1);
  });
});

describe('messy feeds', () => {
  it('with 10% broken records: the rest imported, each broken one reported with its reason', async () => {
    const sample = NL.slice(0, 100).map((record, i) => {
      if (i % 10 !== 3) return record;
      const r = { ...(record as Record<string, unknown>) };
      if (i % 20 === 3) delete r.name;
      else r.id = '';
      return r;
    });
    const report = await importServices(t.database.db, [...sample, 'not a record'], { source: 'broken-sample', format: 'oruk-json', actor: null });
    expect(report.created).toBe(90);
    expect(report.skipped.map((s) => s.reason).sort()).toEqual([...Array(5).fill('no id'), ...Array(5).fill('no name'), 'not an object'].sort());
    expect(report.skipped.every((s) => Number.isInteger(s.index))).toBe(true);
  });

  it('that is not JSON is refused with a readable reason', () => {
    expect(() => parseFeed('<html>Not found</html>')).toThrow(/The feed is not JSON/);
    expect(() => parseFeed('{"hello": "world"}')).toThrow(/not an Open Referral feed/);
  });
});

describe('an HSDS 3.0 CSV data package', () => {
  it('is joined into services with places, sessions, contacts and terms; bad fields flagged, the nameless record skipped', async () => {
    const report = await importServices(t.database.db, recordsFromCsvPackage(csvFiles()), { source: 'riverside', format: 'hsds-csv', actor: null });
    expect(report).toMatchObject({ records: 4, created: 3, updated: 0 });
    expect(report.skipped).toEqual([{ index: 3, id: '1a1b2c3d-0000-4000-8000-000000000004', name: null, reason: 'no name' }]);
    const problems = report.flagged.flatMap((f) => f.issues.map((i) => `${f.name} | ${i.field}: ${i.problem}`));
    expect(problems).toEqual(
      expect.arrayContaining([
        'Men\u2019s cooking club | email: not an email address'.replace('\u2019', "'"),
        "Men's cooking club | schedules[0]: no day of the week it runs on",
        'Allotment volunteering | organization.website: not a web address',
        'Allotment volunteering | taxonomy: not a term of a taxonomy Anchorpoint knows; left off',
        'Allotment volunteering | status: empty; treated as active',
      ]),
    );
    const knit = squash((await editor.get(`/directory/services/${(await t.database.db.selectFrom('directory_service').select('id').where('name', '=', 'Knit and Natter').executeTakeFirstOrThrow()).id}`)).body);
    expect(knit).toContain('Bring your knitting, or learn. Tea provided.');
    expect(knit).toContain('Wednesdays, 14:00 to 16:00');
    expect(knit).toContain('1 River Walk');
    expect(knit).toContain('01632 960001');
    expect(knit).toContain('Care › Daytime Care › Recreation');
    const allotment = await t.database.db.selectFrom('directory_service').select(['id', 'free', 'status']).where('name', '=', 'Allotment volunteering').executeTakeFirstOrThrow();
    expect(allotment).toMatchObject({ free: true, status: 'active' });
    const contact = await t.database.db.selectFrom('directory_contact').selectAll().where('directory_service_id', '=', allotment.id).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Sam Example', phone: '01632 960002', email: 'allotment@example.org' });
    // A re-import updates in place.
    const again = await importServices(t.database.db, recordsFromCsvPackage(csvFiles()), { source: 'riverside', format: 'hsds-csv', actor: null });
    expect(again).toMatchObject({ created: 0, updated: 3 });
    expect(await count('riverside')).toBe(3);
  });

  it('without services.csv is refused', () => {
    expect(() => recordsFromCsvPackage(new Map([['organizations.csv', 'id,name\n1,x']]))).toThrow(/needs services.csv/);
  });
});

describe('the editors’ import page', () => {
  it('uploads a JSON feed and shows the report of every record', async () => {
    await editor.get('/directory/import');
    const sample = JSON.stringify([...NL.slice(200, 210), { name: 'No id here' }]);
    const response = await editor.upload('/directory/import', { source: 'upload-test' }, [{ field: 'files', filename: 'feed.json', content: sample, type: 'application/json' }]);
    expect(response.statusCode).toBe(302);
    const report = squash((await editor.get(response.headers.location as string)).body);
    expect(report).toContain('Every one of the 11 records is accounted for');
    expect(report).toMatch(/Added <\/dt> <dd class="nhsuk-summary-list__value"> 10/);
    expect(report).toContain('No id here');
    expect(report).toContain('no id');
  });

  it('uploads the CSV files of a data package', async () => {
    await editor.get('/directory/import');
    const files = [...csvFiles()].map(([filename, content]) => ({ field: 'files', filename, content, type: 'text/csv' }));
    const response = await editor.upload('/directory/import', { source: 'riverside-upload' }, files);
    expect(response.statusCode).toBe(302);
    expect(await count('riverside-upload')).toBe(3);
  });

  it('refuses what it cannot use, saying what to fix', async () => {
    await editor.get('/directory/import');
    const noFile = await editor.upload('/directory/import', { source: 'bad name!' }, []);
    expect(errorSummary(noFile.body)).toEqual([
      '#source: The source name may use letters, digits, dots, dashes and underscores',
      '#files: Choose a JSON feed file or the CSV files of a data package, or enter the address of a feed',
    ]);
    const notJson = await editor.upload('/directory/import', { source: 'junk' }, [{ field: 'files', filename: 'feed.json', content: 'this is not json' }]);
    expect(notJson.statusCode).toBe(422);
    expect(errorSummary(notJson.body)[0]).toMatch(/^#files: The feed is not JSON/);
    const badUrl = await editor.upload('/directory/import', { source: 'by-address', url: `${base}/broken/services` }, []);
    expect(errorSummary(badUrl.body)).toEqual(['#url: Page 3 of the feed answered 500 Internal Server Error']);
    expect(await count('junk')).toBe(0);
  });

  it('is for directory editors only', async () => {
    const provider = await signedInAs(t.app, 'provider');
    expect((await provider.get('/directory/import')).statusCode).toBe(403);
  });
});

describe('exports', () => {
  it('gives the whole directory as ORUK 3.0 JSON that validates and imports back', async () => {
    const response = await editor.get('/directory/export.json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="directory-oruk-3.0-\d{4}-\d{2}-\d{2}.json"/);
    const document = JSON.parse(response.body) as { total_items: number; contents: Record<string, unknown>[] };
    const total = Number((await t.database.db.selectFrom('directory_service').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(document.total_items).toBe(total);
    expect(document.contents).toHaveLength(total);
    for (const service of document.contents.slice(0, 50)) expect(orukProblems('service.json', service)).toEqual([]);
    const back = await importServices(t.database.db, parseFeed(response.body), { source: 'round-trip', format: 'oruk-json', actor: null });
    expect(back.created).toBe(total);
    expect(back.skipped).toEqual([]);
  });

  it('gives a CSV with one row per service, safe to open in a spreadsheet', async () => {
    const response = await editor.get('/directory/export.csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toMatch(/^id,organisation,name,description,status,needs/);
    expect(response.body).toContain('Singing for Wellbeing');
    const linkWorker = await signedInAs(t.app, 'link_worker');
    expect((await linkWorker.get('/directory/export.csv')).statusCode).toBe(403);
  });
});
