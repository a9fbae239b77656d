import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../testing/test-app.js';
import { orukProblems } from '../../testing/oruk-schemas.js';
import { importServices, parseFeed } from '../directory/directory-import-service.js';
import { NEED_DOMAIN_TAXONOMY, termId } from '../directory/taxonomies.js';

/** The public ORUK 3.0 API, over the demo directory plus the real North Lincolnshire feed (750 services). */

const FEED = path.join(path.dirname(fileURLToPath(import.meta.url)), '../directory/fixtures/north-lincolnshire-oruk-v1-services-2024-12.redacted.json');

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
  await importServices(t.database.db, parseFeed(fs.readFileSync(FEED, 'utf8')), { source: 'north-lincolnshire', format: 'oruk-json', actor: null });
}, 120_000);
afterAll(() => t.close());

async function get(url: string) {
  const response = await t.app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json<Record<string, unknown> & { contents: Record<string, unknown>[]; total_pages: number; total_items: number }>() };
}

/** Fetches the first, a middle and the last page of a list, checking each against its schema. */
async function checkList(url: string, schema: string, perPage: number) {
  const first = await get(`${url}${url.includes('?') ? '&' : '?'}per_page=${perPage}`);
  expect(first.status).toBe(200);
  expect(orukProblems(schema, first.body)).toEqual([]);
  const pages = first.body.total_pages;
  const seen = [first.body];
  for (const pageNumber of [...new Set([Math.ceil(pages / 2), pages])].filter((p) => p > 1)) {
    const response = await get(`${url}${url.includes('?') ? '&' : '?'}per_page=${perPage}&page=${pageNumber}`);
    expect(response.status, `${url} page ${pageNumber}`).toBe(200);
    expect(orukProblems(schema, response.body), `${url} page ${pageNumber}`).toEqual([]);
    seen.push(response.body);
  }
  return { first: first.body, last: seen.at(-1)!, pages };
}

describe('the ORUK 3.0 API validates against the ORUK schemas', () => {
  it('describes itself at the base endpoint', async () => {
    const response = await get('/openreferral/');
    expect(response.status).toBe(200);
    expect(orukProblems('api_details.json', response.body)).toEqual([]);
    expect(response.body.version).toBe('HSDS-UK-3.0');
  });

  it('lists services in pages with the paging envelope, first, middle and last', async () => {
    const { first, last, pages } = await checkList('/openreferral/services', 'service_list.json', 50);
    expect(first).toMatchObject({ total_items: 750, total_pages: 15, page_number: 1, size: 50, first_page: true, last_page: false, empty: false });
    expect(pages).toBe(15);
    expect(last).toMatchObject({ page_number: 15, size: 0 + (750 - 14 * 50), first_page: false, last_page: true });
  });

  it('gives each service in full, valid for every one on a page (with locations, sessions and terms)', async () => {
    const list = await get('/openreferral/services?search=singing&per_page=10');
    expect(list.body.contents.map((s) => s.name)).toContain('Singing for Wellbeing');
    const ids = [...list.body.contents, ...(await get('/openreferral/services?per_page=20&page=7')).body.contents].map((s) => s.id as string);
    for (const id of ids) {
      const service = await get(`/openreferral/services/${id}`);
      expect(service.status).toBe(200);
      expect(orukProblems('service.json', service.body), String(service.body.name)).toEqual([]);
    }
    const singing = (await get(`/openreferral/services/${list.body.contents.find((s) => s.name === 'Singing for Wellbeing')!.id as string}`)).body;
    expect(singing).toMatchObject({
      status: 'active',
      organization: { name: 'Ancholme Community Choir' },
      schedules: [{ freq: 'WEEKLY', byday: 'TU', opens_at: '10:00:00', closes_at: '12:00:00', description: 'Tuesdays, 10:00 to 12:00' }],
      service_at_locations: [{ location: { name: 'St Hugh’s Church Hall', addresses: [{ postal_code: 'DN16 3DH' }] } }],
      cost_options: [{ option: 'Free', amount: 0 }],
    });
    const terms = (singing.attributes as { taxonomy_term: { name: string } }[]).map((a) => a.taxonomy_term.name);
    expect(terms).toEqual(expect.arrayContaining(['Recreation', 'Loneliness and social isolation']));
  });

  it('lists services at locations near a postcode, and each in full', async () => {
    const { first } = await checkList('/openreferral/service_at_locations?postcode=DN15%207QG&proximity=5000', 'service_at_location_list.json', 4);
    expect(first.total_items).toBeGreaterThan(5);
    const far = await get('/openreferral/service_at_locations?postcode=DN15%207QG&proximity=1000');
    expect(far.body.total_items).toBeLessThan(first.total_items);
    const one = await get(`/openreferral/service_at_locations/${first.contents[0]!.id as string}`);
    expect(one.status).toBe(200);
    expect(orukProblems('service_at_location.json', one.body)).toEqual([]);
  });

  it('lists organisations, taxonomies and taxonomy terms, and each one', async () => {
    const organisations = await checkList('/openreferral/organizations', 'organization_list.json', 100);
    expect(organisations.pages).toBeGreaterThan(2);
    const organisation = await get(`/openreferral/organizations/${organisations.last.contents[0]!.id as string}`);
    expect(orukProblems('organization.json', organisation.body)).toEqual([]);
    const taxonomies = await checkList('/openreferral/taxonomies', 'taxonomy_list.json', 1);
    expect(taxonomies.first.total_items).toBe(2);
    const taxonomy = await get(`/openreferral/taxonomies/${taxonomies.first.contents[0]!.id as string}`);
    expect(orukProblems('taxonomy.json', taxonomy.body)).toEqual([]);
    const terms = await checkList('/openreferral/taxonomy_terms', 'taxonomy_term_list.json', 40);
    expect(terms.first.total_items).toBe(290 + 17);
    const term = await get(`/openreferral/taxonomy_terms/${terms.last.contents[0]!.id as string}`);
    expect(orukProblems('taxonomy_term.json', term.body)).toEqual([]);
    const top = await get('/openreferral/taxonomy_terms?top_only=true&per_page=100');
    expect(top.body.contents.filter((c) => c.taxonomy === 'Open Eligibility').map((c) => c.name)).toContain('Care');
  });

  it('filters services by a taxonomy term, including a need domain', async () => {
    const loneliness = await get(`/openreferral/services?taxonomy_term_id=${termId(NEED_DOMAIN_TAXONOMY, 'loneliness')}&per_page=100`);
    expect(loneliness.status).toBe(200);
    expect(loneliness.body.contents.map((s) => s.name)).toEqual(expect.arrayContaining(['Singing for Wellbeing', 'Shed workshop mornings']));
    expect(loneliness.body.contents.map((s) => s.name)).not.toContain('Money and debt advice');
  });
});

describe('bad requests get a clear 4xx, never a 500', () => {
  it.each([
    ['/openreferral/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000', 400, 'taxonomy_term_id'],
    ['/openreferral/services?taxonomy_term_id=housing', 400, 'taxonomy_term_id'],
    ['/openreferral/service_at_locations?postcode=NOT%20A%20POSTCODE&proximity=1000', 400, 'postcode'],
    ['/openreferral/service_at_locations?postcode=DN15&proximity=999999', 400, 'proximity'],
    ['/openreferral/service_at_locations?proximity=1000', 400, 'proximity'],
    ['/openreferral/services?per_page=1000', 400, 'per_page'],
    ['/openreferral/services?page=0', 400, 'page'],
    ['/openreferral/services?page=99', 404, 'page'],
    ['/openreferral/services?modified_after=yesterday', 400, 'modified_after'],
    ['/openreferral/services?full=perhaps', 400, 'full'],
    ['/openreferral/taxonomy_terms?parent_id=nope', 400, 'parent_id'],
  ])('%s answers %i naming %s', async (url, status, field) => {
    const response = await get(url);
    expect(response.status).toBe(status);
    expect(response.body.error).toEqual(expect.any(String));
    expect(Object.keys(response.body.fields as object)).toContain(field);
  });

  it('answers 404 for records that do not exist', async () => {
    for (const url of ['/openreferral/services/00000000-0000-4000-8000-000000000000', '/openreferral/services/not-an-id', '/openreferral/organizations/x', '/openreferral/taxonomy_terms/x']) {
      expect((await get(url)).status).toBe(404);
    }
  });

  it('lets a web page on any site read every answer, errors too, as ORUK compliance asks; not the app pages', async () => {
    for (const url of ['/openreferral/', '/openreferral/services?per_page=1', '/openreferral/services/not-an-id', '/openreferral/services?per_page=5000', '/openreferral/taxonomy_terms?per_page=1']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { origin: 'https://finder.example.org' } });
      expect(response.headers['access-control-allow-origin'], url).toBe('*');
      expect(response.headers['access-control-allow-credentials'], url).toBeUndefined();
      expect(response.headers['cross-origin-resource-policy'], url).toBe('cross-origin');
    }
    for (const url of ['/sign-in', '/directory']) {
      const response = await t.app.inject({ method: 'GET', url, headers: { origin: 'https://finder.example.org' } });
      expect(response.headers['access-control-allow-origin'], url).toBeUndefined();
      expect(response.headers['cross-origin-resource-policy'], url).toBe('same-origin');
    }
  });

  it('streams every service as ndjson, one record a line, the same services as reading every page', async () => {
    const paged: string[] = [];
    for (let page = 1; ; page++) {
      const body = (await get(`/openreferral/services?per_page=100&page=${page}`)).body;
      paged.push(...body.contents.map((c) => String(c.id)));
      if (page >= body.total_pages) break;
    }
    const response = await t.app.inject({ method: 'GET', url: '/openreferral/services?format=ndjson' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(response.body.endsWith('\n')).toBe(true);
    const lines = response.body.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    // More than one chunk of 500, so reading on from the last name and id is exercised.
    expect(lines.length).toBeGreaterThan(500);
    expect(lines.map((l) => l.id).sort()).toEqual([...paged].sort());
    expect(orukProblems('service_list.json', { total_items: lines.length, total_pages: 1, page_number: 1, size: lines.length, first_page: true, last_page: true, empty: false, contents: lines })).toEqual([]);
  });

  it('streams with the same filters as the pages, and in full', async () => {
    const need = termId(NEED_DOMAIN_TAXONOMY, 'loneliness');
    const listed = (await get(`/openreferral/services?taxonomy_term_id=${need}&per_page=100`)).body;
    const streamed = (await t.app.inject({ method: 'GET', url: `/openreferral/services?taxonomy_term_id=${need}&format=ndjson&full=true` })).body.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(streamed.map((s) => s.id).sort()).toEqual(listed.contents.map((c) => c.id).sort());
    for (const service of streamed) expect(orukProblems('service.json', service)).toEqual([]);
    const nothing = await t.app.inject({ method: 'GET', url: '/openreferral/services?search=zzzqqqxxx&format=ndjson' });
    expect(nothing.statusCode).toBe(200);
    expect(nothing.body).toBe('');
  });

  it('says what to do instead for formats and options it does not offer', async () => {
    for (const [url, field, message] of [
      ['/openreferral/services?format=xml', 'format', 'format must be json or ndjson'],
      ['/openreferral/organizations?format=ndjson', 'format', 'format=ndjson is offered by /services only; this list comes in pages of JSON'],
      ['/openreferral/services?minimal=true', 'minimal', 'minimal is not offered: ask /services?format=ndjson for every service in one call'],
    ] as const) {
      const response = await get(url);
      expect(response.status, url).toBe(400);
      expect((response.body.fields as Record<string, string>)[field], url).toBe(message);
    }
    expect((await get('/openreferral/services?format=json&per_page=1')).status).toBe(200);
  });

  it('says where the end is for a page past it', async () => {
    const response = await get('/openreferral/services?per_page=100&page=9');
    expect(response.body.error).toBe('Page 9 is past the last page, 8.');
  });
});
