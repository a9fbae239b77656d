import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';

let t: TestContext;
let linkWorker: TestBrowser;
beforeAll(async () => {
  t = await createTestApp();
  linkWorker = await signedInAs(t.app, 'link_worker');
});
afterAll(() => t.close());

const names = (html: string) => [...html.matchAll(/<h2 class="nhsuk-card__heading nhsuk-heading-s"><a href="\/directory\/services\/[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!.replace(/&#39;|&rsquo;/g, '’'));

describe('searching the directory', () => {
  it('finds by English stem: “singing group” finds Singing for Wellbeing', async () => {
    const page = await linkWorker.get('/directory?q=singing+groups');
    expect(names(page.body)).toEqual(['Singing for Wellbeing']);
  });

  it('filters by need, cost and age, and hides paused services unless asked', async () => {
    expect(names((await linkWorker.get('/directory?need=physical_activity')).body).sort()).toEqual(['Chair-based exercise class', 'Weekday health walks']);
    expect(names((await linkWorker.get('/directory?need=physical_activity&free=yes')).body)).toEqual(['Weekday health walks']);
    expect(names((await linkWorker.get('/directory?need=physical_activity&age=30')).body)).toEqual(['Weekday health walks']);
    expect(names((await linkWorker.get('/directory?need=bereavement')).body)).toEqual([]);
    expect(names((await linkWorker.get('/directory?need=bereavement&inactive=yes')).body)).toEqual(['Bereavement café']);
  });

  it('marks entries nobody has checked for 90 days', async () => {
    const page = squash((await linkWorker.get('/directory?q=shed')).body);
    expect(page).toContain('Not checked for over 90 days');
  });

  it('says what is wrong with a filter', async () => {
    const page = await linkWorker.get('/directory?age=old&need=astrology');
    expect(errorSummary(page.body)).toEqual(['#need: Select a need from the list', '#age: Age must be a whole number of years, like 67']);
  });

  it('shows a service in full, and answers 404 for one that does not exist', async () => {
    const list = await linkWorker.get('/directory?q=debt');
    const id = /href="\/directory\/services\/([^"]+)"/.exec(list.body)![1]!;
    const page = squash((await linkWorker.get(`/directory/services/${id}`)).body);
    expect(page).toContain('Money and debt advice');
    expect(page).toContain('Money, debt and benefits');
    expect((await linkWorker.get('/directory/services/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('keeping entries fresh', () => {
  it('an editor sees stale entries in the review queue and marks one as checked', async () => {
    const editor = await signedInAs(t.app, 'directory_editor');
    const queue = await editor.get('/directory-editor');
    // 9 open entries (the bereavement café is paused, not closed, so it counts); only the shed is stale.
    expect(squash(queue.body)).toContain('89% of open entries (8 of 9) were checked in the last 90 days.');
    expect(squash(queue.body)).toContain('Shed workshop mornings');
    const id = /href="\/directory\/services\/([^"]+)">Shed workshop mornings/.exec(queue.body)![1]!;
    const checked = await editor.post(`/directory/services/${id}/verify`, { back: '/directory-editor' });
    expect(checked.headers.location).toBe('/directory-editor');
    const after = squash((await editor.get('/directory-editor')).body);
    expect(after).not.toContain('Shed workshop mornings');
    expect(after).toContain('100% of open entries (9 of 9)');
    expect(squash((await linkWorker.get('/directory?q=shed')).body)).not.toContain('Not checked for over 90 days');
    const audit = await t.database.db.selectFrom('audit_event').select('action').where('record_id', '=', id).execute();
    expect(audit).toEqual([{ action: 'directory.verify' }]);
  });

  it('a provider is asked to check their own stale entries, and cannot vouch for another organisation’s', async () => {
    await t.database.db.updateTable('directory_service').set({ last_verified_at: new Date('2020-01-01') }).execute();
    const shed = await signedInAs(t.app, 'provider', 1);
    const page = squash((await shed.get('/provider')).body);
    expect(page).toContain('Please check your directory entries');
    expect(page).toContain('Shed workshop mornings');
    expect(page).not.toContain('Singing for Wellbeing');
    const choirEntry = await t.database.db.selectFrom('directory_service').select('id').where('name', '=', 'Singing for Wellbeing').executeTakeFirstOrThrow();
    expect((await shed.post(`/directory/services/${choirEntry.id}/verify`, {})).statusCode).toBe(404);
  });
});

describe('no suitable service', () => {
  it('a link worker records a gap from a search that found nothing; bad input is refused', async () => {
    const search = await linkWorker.get('/directory?q=astronomy+club&need=arts');
    expect(names(search.body)).toEqual([]);
    const link = /href="(\/directory\/no-suitable-service\?[^"]+)"/.exec(search.body)![1]!.replace(/&amp;/g, '&');
    const form = await linkWorker.get(link);
    expect(form.body).toContain('value="astronomy club"');
    const bad = await linkWorker.post('/directory/no-suitable-service', { need: 'arts', area: 'nowhere', note: '' });
    expect(errorSummary(bad.body)).toEqual(['#area: Enter a postcode or the first part of one, like DN15', '#note: Say what the person needed that no service offers']);
    const saved = await linkWorker.post('/directory/no-suitable-service', { need: 'arts', area: 'dn15 6er', note: 'An evening astronomy group', searchText: 'astronomy club' });
    expect(saved.statusCode).toBe(201);
    const gaps = await t.database.db.selectFrom('provision_gap').select(['need_domain', 'outward_code', 'note', 'search_text']).execute();
    expect(gaps).toEqual([{ need_domain: 'arts', outward_code: 'DN15', note: 'An evening astronomy group', search_text: 'astronomy club' }]);
  });

  it('is not offered to people outside a social prescribing service', async () => {
    const provider = await signedInAs(t.app, 'provider');
    expect((await provider.get('/directory')).body).not.toContain('no-suitable-service');
    expect((await provider.get('/directory/no-suitable-service')).statusCode).toBe(403);
  });
});
