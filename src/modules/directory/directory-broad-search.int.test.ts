import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcodeCentroid } from '../../shared/outcodes.js';
import { createTestApp, type TestContext } from '../../testing/test-app.js';
import { searchServices } from './directory-search.js';
import { EMPTY_QUERY } from './search-query.js';

/**
 * Broad searches (no words, no distance limit) take a different path from narrow ones: the page comes
 * off the name index with a separate count, and "nearest first" widens a circle until it holds the page.
 * These check that the shortcuts give exactly what sorting every service would.
 */

let t: TestContext;
let organisationId: string;
const origin = outcodeCentroid('DN15')!;
const MILES_PER_DEGREE_NORTH = 69.05;
// Miles due north of DN15's centre. Names run against distance, so name order and distance order differ.
const MILES = [0.5, 2, 4, 4.5, 6, 10, 20, 24, 26, 40, 60, 90, 99, 101, 150, 300];
const nameAt = (index: number) => `Broad test service ${String.fromCharCode(90 - index)}`;
/** Nearest first, and the service with no venue last. */
const expectedOrder = [...MILES.map((_, index) => nameAt(index)), 'Broad test service without a venue'];

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  organisationId = (await db.insertInto('directory_organisation').values({ name: 'Broad search test trust' }).returning('id').executeTakeFirstOrThrow()).id;
  for (const [index, miles] of MILES.entries()) {
    const service = await db.insertInto('directory_service').values({ directory_organisation_id: organisationId, name: nameAt(index), need_domains: ['loneliness'] }).returning('id').executeTakeFirstOrThrow();
    const location = await db
      .insertInto('directory_location')
      .values({ name: `Hall ${index}`, latitude: origin.latitude + miles / MILES_PER_DEGREE_NORTH, longitude: origin.longitude })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('directory_service_at_location').values({ directory_service_id: service.id, directory_location_id: location.id }).execute();
  }
  await db.insertInto('directory_service').values({ directory_organisation_id: organisationId, name: 'Broad test service without a venue', need_domains: ['loneliness'] }).execute();
});
afterAll(() => t.close());

describe('a broad search', () => {
  it('gives nearest first, page by page, exactly as measuring every service would', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 6; page++) {
      const result = await searchServices(t.database.db, { ...EMPTY_QUERY, organisationId, sort: 'distance', perPage: 3, page }, origin);
      expect(result.total).toBe(17);
      seen.push(...result.rows.map((row) => row.name));
    }
    expect(seen).toEqual(expectedOrder);
  });

  it('lists by name with the whole count when there is no place to measure from', async () => {
    const first = await searchServices(t.database.db, { ...EMPTY_QUERY, organisationId, perPage: 5 }, null);
    expect(first.total).toBe(17);
    expect(first.rows.map((row) => row.name)).toEqual([...expectedOrder].sort().slice(0, 5));
    const needed = await searchServices(t.database.db, { ...EMPTY_QUERY, need: 'loneliness', organisationId, perPage: 5, page: 4 }, null);
    expect(needed.total).toBe(17);
    expect(needed.rows.map((row) => row.name)).toEqual([...expectedOrder].sort().slice(15));
  });

  it('reads deep pages in name order, hidden services left out, as sorting everything would', async () => {
    const db = t.database.db;
    const owner = (await db.insertInto('directory_organisation').values({ name: 'Deep pages test trust' }).returning('id').executeTakeFirstOrThrow()).id;
    const statuses = ['active', 'paused', 'active', 'closed', 'online_only', 'active'] as const;
    // Names repeat, so the order within a name (by id) is checked too.
    const made = await db
      .insertInto('directory_service')
      .values(Array.from({ length: 14 }, (_, i) => ({ directory_organisation_id: owner, name: `Deep page service ${String.fromCharCode(77 - (i % 9))}`, status: statuses[i % statuses.length] })))
      .returning(['id', 'name', 'status'])
      .execute();
    const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1);
    const open = made.filter((s) => s.status === 'active' || s.status === 'online_only').sort(byName);

    const listed: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await searchServices(db, { ...EMPTY_QUERY, organisationId: owner, perPage: 4, page }, null);
      expect(result.total).toBe(open.length);
      listed.push(...result.rows.map((row) => row.id));
    }
    expect(listed).toEqual(open.map((s) => s.id));

    const harvested: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const response = await t.app.inject({ method: 'GET', url: `/openreferral/services?organization_id=${owner}&per_page=4&page=${page}` });
      expect(response.statusCode).toBe(200);
      harvested.push(...response.json<{ contents: { id: string }[] }>().contents.map((c) => c.id));
    }
    expect(harvested).toEqual([...made].sort(byName).map((s) => s.id));
  });

  it('gives ORUK service-at-locations nearest a postcode page by page, with no proximity', async () => {
    const names: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const response = await t.app.inject({ method: 'GET', url: `/openreferral/service_at_locations?postcode=DN15&organization_id=${organisationId}&per_page=4&page=${page}` });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ total_items: number; contents: { location: { name: string } }[] }>();
      expect(body.total_items).toBe(16);
      names.push(...body.contents.map((c) => c.location.name));
    }
    expect(names).toEqual(MILES.map((_, index) => `Hall ${index}`));
    const past = await t.app.inject({ method: 'GET', url: `/openreferral/service_at_locations?postcode=DN15&organization_id=${organisationId}&per_page=4&page=5` });
    expect(past.statusCode).toBe(404);
    expect(past.json()).toMatchObject({ fields: { page: 'There are 4 pages of 4' } });
  });

  it('counts the whole ORUK list of services and of services at locations', async () => {
    const services = (await t.app.inject({ method: 'GET', url: '/openreferral/services?per_page=1' })).json<{ total_items: number }>();
    const everyService = await t.database.db.selectFrom('directory_service').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(services.total_items).toBe(Number(everyService.n));
    const atLocations = (await t.app.inject({ method: 'GET', url: '/openreferral/service_at_locations?per_page=1' })).json<{ total_items: number }>();
    const everyPair = await t.database.db.selectFrom('directory_service_at_location').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(atLocations.total_items).toBe(Number(everyPair.n));
  });
});
