import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor, createTestApp, type TestContext } from '../../testing/test-app.js';

/** The directory through the JSON API: the same search, rules and audit as the pages. */

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
});
afterAll(() => t.close());

const serviceId = async (name: string) => (await t.database.db.selectFrom('directory_service').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

describe('the directory API', () => {
  it('searches as a link worker does, from a postcode or a person’s episode', async () => {
    const api = await apiClientFor(t, 'link_worker');
    const response = await api('GET', '/api/v1/directory/search?q=singing&postcode=DN15%207QG&radius=3&day=weekdays&free=yes');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ total: number; services: { name: string; miles: number; nextSession: { time: string } }[] }>();
    expect(body.total).toBe(1);
    expect(body.services[0]).toMatchObject({ name: 'Singing for Wellbeing', nextSession: { time: '10:00' } });
    expect(body.services[0]!.miles).toBeLessThan(3);
    expect(Object.keys(body.services[0]!).sort()).toEqual(['delivery', 'free', 'id', 'lastVerifiedAt', 'miles', 'name', 'needDomains', 'nextSession', 'organisation', 'referralMode', 'stale', 'status']);
    const episode = await t.database.db.selectFrom('episode as e').innerJoin('person as p', 'p.id', 'e.person_id').select('e.id').where('p.postcode', '=', 'DN15 7QG').executeTakeFirstOrThrow();
    const fromPerson = await api('GET', `/api/v1/directory/search?q=singing&episode=${episode.id}&radius=3&day=weekdays&free=yes`);
    expect(fromPerson.json<{ origin: { label: string } }>().origin.label).toMatch(/'s home \(DN15 7QG\)$/);
    const bad = await api('GET', '/api/v1/directory/search?postcode=nowhere&radius=7');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ fields: Record<string, string> }>().fields).toEqual({ postcode: 'Enter a full postcode, like DN15 7AB, or the first part, like DN15', radius: 'Select a distance from the list' });
  });

  it('lets an editor change an entry, refusing bad input and stale versions', async () => {
    const api = await apiClientFor(t, 'directory_editor');
    const id = await serviceId('Shed workshop mornings');
    const read = (await api('GET', `/api/v1/directory/services/${id}`)).json<{ name: string; anchorpoint: { version: string; stale: boolean } }>();
    expect(read).toMatchObject({ name: 'Shed workshop mornings', anchorpoint: { stale: true } });
    // The documented fields are Anchorpoint's own; the rest is the public Open Referral record, unchanged.
    const { anchorpoint, ...openReferral } = read;
    expect(openReferral).toEqual((await t.app.inject({ method: 'GET', url: `/openreferral/services/${id}` })).json());
    expect(Object.keys(anchorpoint).sort()).toEqual(['capacityNote', 'dataIssues', 'delivery', 'free', 'lastVerifiedAt', 'needDomains', 'referralMode', 'reviewEveryDays', 'stale', 'status', 'verifiedBy', 'version']);
    const entry = {
      name: 'Shed workshop mornings',
      status: 'active',
      needs: ['loneliness', 'employment'],
      type: '108-07-07',
      free: true,
      venue: { name: 'Brumby Men’s Shed', postcode: 'DN17 2HE' },
      sessions: [
        { day: 'MO', opens: '09:30', closes: '12:30' },
        { day: 'TH', week: 'other', opens: '09:30', closes: '12:30' },
      ],
      checked: true,
    };
    const invalid = await api('PUT', `/api/v1/directory/services/${id}`, { ...entry, version: read.anchorpoint.version, sessions: [{ day: 'MO', opens: '12:00', closes: '09:00' }], venue: { postcode: 'nowhere' } });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json<{ fields: Record<string, string> }>().fields).toEqual({ postcode: 'Enter a full postcode, like DN15 7AB', closes1: 'Session 1 must end after it starts' });
    const saved = await api('PUT', `/api/v1/directory/services/${id}`, { ...entry, version: read.anchorpoint.version });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ schedules: { description: string }[]; anchorpoint: { stale: boolean } }>()).toMatchObject({
      schedules: [{ description: 'Mondays, 09:30 to 12:30' }, { description: 'Every other Thursday, 09:30 to 12:30' }],
      anchorpoint: { stale: false },
    });
    const stale = await api('PUT', `/api/v1/directory/services/${id}`, { ...entry, version: read.anchorpoint.version });
    expect(stale.statusCode).toBe(409);
    const unknownField = await api('PUT', `/api/v1/directory/services/${id}`, { ...entry, version: read.anchorpoint.version, colour: 'blue' });
    expect(unknownField.statusCode).toBe(400);
  });

  it('keeps providers to their own organisation’s entries', async () => {
    const api = await apiClientFor(t, 'provider'); // the choir
    const other = await serviceId('Money and debt advice');
    const entry = { name: 'Taken over', status: 'active', version: new Date().toISOString() };
    expect((await api('PUT', `/api/v1/directory/services/${other}`, entry)).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/directory/services/${other}/verify`)).statusCode).toBe(404);
    const own = await serviceId('Singing for Wellbeing');
    const verified = await api('POST', `/api/v1/directory/services/${own}/verify`);
    expect(verified.statusCode).toBe(200);
    const organisation = await t.database.db.selectFrom('directory_organisation').select('id').where('name', '=', 'Ancholme Community Choir').executeTakeFirstOrThrow();
    const created = await api('POST', '/api/v1/directory/services', { organisationId: organisation.id, name: 'Choir taster evening', status: 'active', needs: ['arts'] });
    expect(created.statusCode).toBe(201);
    const notTheirs = await t.database.db.selectFrom('directory_organisation').select('id').where('name', '=', 'Scunthorpe Money and Debt Advice').executeTakeFirstOrThrow();
    expect((await api('POST', '/api/v1/directory/services', { organisationId: notTheirs.id, name: 'Nope', status: 'active' })).statusCode).toBe(404);
  });

  it('imports records for editors, with the full report', async () => {
    const api = await apiClientFor(t, 'directory_editor');
    const response = await api('POST', '/api/v1/directory/imports', {
      source: 'api-test',
      records: [{ id: 'a1', name: 'Lunch club', status: 'active', organization: { id: 'o1', name: 'Lunch Org' } }, { id: 'a2', organization: { id: 'o1', name: 'Lunch Org' } }],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ records: 2, created: 1, skipped: [{ index: 1, id: 'a2', reason: 'no name' }] });
    expect((await api('POST', '/api/v1/directory/imports', { source: 'api-test' })).statusCode).toBe(400);
    expect((await api('POST', '/api/v1/directory/imports', { source: 'x', url: 'ftp://nowhere/services' })).statusCode).toBe(400);
    const linkWorker = await apiClientFor(t, 'link_worker');
    expect((await linkWorker('POST', '/api/v1/directory/imports', { source: 'x', records: [] })).statusCode).toBe(403);
  });
});
