import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';

let t: TestContext;
let linkWorker: TestBrowser;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
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

describe('searching by place and time', () => {
  it('finds a free singing group within 3 miles of a postcode on a weekday, nearest first, with its next session', async () => {
    const all = names((await linkWorker.get('/directory?q=singing')).body);
    expect(all.sort()).toEqual(['Barton Singing Circle', 'Community choir rehearsals', 'Saturday Sing', 'Singing for Wellbeing']);
    const weekday = '&day=1&day=2&day=3&day=4&day=5';
    const page = await linkWorker.get(`/directory?q=singing&postcode=DN15+7QG&radius=3&free=yes${weekday}`);
    expect(names(page.body)).toEqual(['Singing for Wellbeing']);
    const text = squash(page.body);
    expect(text).toMatch(/1\.\d miles/);
    expect(text).toMatch(/Next session: Tuesday \d{1,2} \w+, 10:00 to 12:00/);
    expect(text).toContain('1 service for “singing” within 3 miles of DN15 7QG');
    // Without the day and cost filters the Saturday group and the paid choir appear; without the distance, Barton (12 miles) too.
    expect(names((await linkWorker.get('/directory?q=singing&postcode=DN15+7QG&radius=3')).body).sort()).toEqual(['Community choir rehearsals', 'Saturday Sing', 'Singing for Wellbeing']);
    const nearestFirst = names((await linkWorker.get('/directory?q=singing&postcode=DN15+7QG&sort=distance')).body);
    expect(nearestFirst).toHaveLength(4);
    expect(nearestFirst.at(-1)).toBe('Barton Singing Circle');
  });

  it('searches by outward code, by time of day and by type of service', async () => {
    const near = squash((await linkWorker.get('/directory?postcode=dn18&radius=5')).body);
    expect(near).toContain('Barton Singing Circle');
    expect(near).not.toContain('Singing for Wellbeing');
    expect(names((await linkWorker.get('/directory?need=arts&time=evening&inactive=yes')).body)).toEqual(['Community choir rehearsals']);
    // 108 is Open Eligibility "Care"; its narrower terms count.
    expect(names((await linkWorker.get('/directory?type=108-07&need=loneliness')).body)).toEqual(['Shed workshop mornings']);
    expect(names((await linkWorker.get('/directory?referrals=yes&need=money')).body)).toEqual(['Money and debt advice']);
  });

  it('searches from the person’s own postcode, and records that their record was read', async () => {
    const episode = await t.database.db
      .selectFrom('episode as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .select(['e.id', 'p.id as person_id'])
      .where('p.postcode', '=', 'DN15 7QG')
      .executeTakeFirstOrThrow();
    const page = squash((await linkWorker.get(`/directory?episode=${episode.id}&q=singing&radius=3&day=weekdays&free=yes`)).body);
    expect(/Searching near \w+&#39;s home \(DN15 7QG\)/.test(page)).toBe(true);
    expect(names(page)).toEqual(['Singing for Wellbeing']);
    const audit = await t.database.db.selectFrom('audit_event').select(['action', 'detail']).where('record_id', '=', episode.person_id).where('action', '=', 'person.read').execute();
    expect(audit.some((row) => JSON.stringify(row.detail).includes('directory search'))).toBe(true);
    // Another service's link worker cannot use the episode to learn where the person lives.
    const provider = await signedInAs(t.app, 'provider');
    expect((await provider.get(`/directory?episode=${episode.id}&radius=3`)).statusCode).toBe(404);
  });

  it('corrects a misspelt word when nothing matched', async () => {
    const page = squash((await linkWorker.get('/directory?q=sinigng')).body);
    expect(/Nothing matched “sinigng”. Showing results for “<strong>sing(ing)?<\/strong>”/.test(page)).toBe(true);
    expect(names(page)).toContain('Singing for Wellbeing');
    expect(names(squash((await linkWorker.get('/directory?q=bereavment&inactive=yes')).body))).toEqual(['Bereavement café']);
  });

  it('says what is wrong with a place or distance', async () => {
    expect(errorSummary((await linkWorker.get('/directory?postcode=nowhere')).body)).toEqual(['#postcode: Enter a full postcode, like DN15 7AB, or the first part, like DN15']);
    const unknown = await linkWorker.get('/directory?postcode=ZZ99&radius=3');
    expect(errorSummary(unknown.body)).toEqual(['#postcode: We do not know where ZZ99 is. Check the postcode, or enter just its first part, like DN15']);
    // Not run as a search that ignores the place: no list to mistake for services within 3 miles.
    expect(names(unknown.body)).toEqual([]);
    expect(squash(unknown.body)).toContain('Correct the problem above, then search again.');
    expect(squash(unknown.body)).not.toContain('Record that there is no suitable service');
    expect(errorSummary((await linkWorker.get('/directory?radius=3')).body)).toEqual(['#postcode: Enter a postcode to search within a distance of it']);
    expect(errorSummary((await linkWorker.get('/directory?postcode=DN15&radius=7')).body)).toEqual(['#radius: Select a distance from the list']);
    expect(errorSummary((await linkWorker.get('/directory?day=8&time=midnight&type=999')).body)).toEqual([
      '#day: Select days of the week from the list',
      '#time: Select a time of day from the list',
      '#type: Select a type of service from the list',
    ]);
  });
});

describe('keeping entries fresh', () => {
  it('an editor sees stale entries in the review queue and marks one as checked', async () => {
    const editor = await signedInAs(t.app, 'directory_editor');
    const queue = await editor.get('/directory-editor');
    // 12 open entries (the bereavement café is paused, not closed, so it counts); only the shed is stale.
    expect(squash(queue.body)).toContain('92% of open entries (11 of 12) were checked in the last 90 days.');
    expect(squash(queue.body)).toContain('Shed workshop mornings');
    const id = /href="\/directory\/services\/([^"]+)">Shed workshop mornings/.exec(queue.body)![1]!;
    const checked = await editor.post(`/directory/services/${id}/verify`, { back: '/directory-editor' });
    expect(checked.headers.location).toBe('/directory-editor');
    const after = squash((await editor.get('/directory-editor')).body);
    expect(after).not.toContain('Shed workshop mornings');
    expect(after).toContain('100% of open entries (12 of 12)');
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
