import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, selectOptions, decode, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';

/** Editors fix any entry; providers only their own organisation's; every change is audited. */

let t: TestContext;
let editor: TestBrowser;
beforeAll(async () => {
  t = await createTestApp();
  editor = await signedInAs(t.app, 'directory_editor');
});
afterAll(() => t.close());

const serviceId = async (name: string) => (await t.database.db.selectFrom('directory_service').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

/** The edit form's fields as the browser would send them back. */
function formValues(html: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const m of html.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    const tag = m[0];
    const name = m[1]!;
    const value = decode(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (/type="(checkbox|radio)"/.test(tag)) {
      if (!/\schecked/.test(tag)) continue;
      if (/type="checkbox"/.test(tag) && name === 'needs') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
      else values[name] = value;
    } else values[name] = value;
  }
  for (const m of html.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    values[m[1]!] = decode(/<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '');
  }
  for (const m of html.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) values[m[1]!] = decode(m[2]!.trim());
  delete values._csrf;
  return values;
}

describe('an editor fixes a stale entry', () => {
  it('changes the sessions and description, marks it checked, and the change is audited', async () => {
    const id = await serviceId('Shed workshop mornings');
    const form = await editor.get(`/directory/services/${id}/edit`);
    expect(form.statusCode).toBe(200);
    const values = formValues(form.body);
    expect(values).toMatchObject({ name: 'Shed workshop mornings', day1: 'MO', day2: 'WE', day3: 'FR', opens1: '09:30', postcode: 'DN17 2HE', checked: 'yes' });
    const saved = await editor.post(`/directory/services/${id}/edit`, {
      ...values,
      description: 'Now open on Tuesday and Thursday mornings too.',
      day4: 'TU',
      opens4: '09:30',
      closes4: '12:30',
      day5: 'TH',
      week5: 'other',
      opens5: '09:30',
      closes5: '12:30',
    });
    expect(saved.statusCode).toBe(302);
    const page = squash((await editor.get(saved.headers.location as string)).body);
    expect(page).toContain('Entry saved.');
    expect(page).toContain('Now open on Tuesday and Thursday mornings too.');
    expect(page).toContain('Every other Thursday, 09:30 to 12:30');
    expect(page).not.toContain('This entry may be out of date');
    const queue = squash((await editor.get('/directory-editor')).body);
    expect(queue).toContain('100% of open entries');
    const audit = await t.database.db.selectFrom('audit_event').select(['action', 'detail']).where('record_id', '=', id).where('action', '=', 'directory.edit').executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ changed: 'description, sessions', checked: true });
  });

  it('refuses bad input with messages that say what to fix, and saves nothing', async () => {
    const id = await serviceId('Digital drop-in');
    const values = formValues((await editor.get(`/directory/services/${id}/edit`)).body);
    const response = await editor.post(`/directory/services/${id}/edit`, {
      ...values,
      name: '',
      postcode: 'DN15',
      minimumAge: '70',
      maximumAge: '18',
      email: 'library at example',
      opens1: '16:00',
      closes1: '14:00',
      needs: ['digital', 'astrology'],
      fees: '£'.repeat(301),
    });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual([
      // In the order the fields come on the page, whatever order they were checked in.
      '#name: Enter the name of the service',
      '#needs: Select needs from the list',
      '#fees: Charges must be 300 characters or fewer',
      '#maximumAge: Maximum age must be the same as or more than the minimum age',
      '#postcode: Enter a full postcode, like DN15 7AB',
      '#closes1: Session 1 must end after it starts',
      '#email: Enter an email address, like name@example.org.uk',
    ]);
    // What was typed is kept.
    expect(response.body).toContain('value="library at example"');
    const row = await t.database.db.selectFrom('directory_service').select(['name', 'minimum_age']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Digital drop-in', minimum_age: null });
  });

  it('does not overwrite a change someone else saved after the form was opened', async () => {
    const id = await serviceId('Carers’ coffee morning');
    const first = formValues((await editor.get(`/directory/services/${id}/edit`)).body);
    const other = await signedInAs(t.app, 'directory_editor');
    const second = formValues((await other.get(`/directory/services/${id}/edit`)).body);
    expect((await other.post(`/directory/services/${id}/edit`, { ...second, capacityNote: 'Full until January' })).statusCode).toBe(302);
    const late = await editor.post(`/directory/services/${id}/edit`, { ...first, capacityNote: 'Plenty of room' });
    expect(late.statusCode).toBe(409);
    expect(errorSummary(late.body)[0]).toContain('Someone else changed this entry after you opened it');
    expect(late.body).toContain('Full until January');
    const row = await t.database.db.selectFrom('directory_service').select('capacity_note').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.capacity_note).toBe('Full until January');
  });

  it('adds a new service for an organisation, findable at once', async () => {
    const form = await editor.get('/directory/services/new');
    const organisation = selectOptions(form.body, 'organisation').find((c) => c.label === 'Scunthorpe Walking Group')!.value;
    const response = await editor.post('/directory/services/new', {
      ...formValues(form.body),
      organisation,
      name: 'Nordic walking taster',
      description: 'Try Nordic walking with poles provided, on Sunday mornings in Central Park.',
      needs: ['physical_activity'],
      free: 'yes',
      type: '108-03-06',
      venueName: 'Central Park gates',
      postcode: 'DN15 6JR',
      day1: 'SU',
      opens1: '10:00',
      closes1: '11:00',
    });
    expect(response.statusCode).toBe(302);
    const found = squash((await editor.get('/directory?q=nordic&postcode=DN15+6JR&radius=1&day=7')).body);
    expect(found).toContain('Nordic walking taster');
    expect(found).toContain('0 miles');
    const missing = await editor.post('/directory/services/new', { name: 'No organisation', status: 'active' });
    expect(errorSummary(missing.body)).toEqual(['#organisation: Select the organisation that runs the service']);
  });
});

describe('providers and everyone else', () => {
  it('a provider edits their own organisation’s entry but cannot open another’s', async () => {
    const provider = await signedInAs(t.app, 'provider'); // the choir
    const own = await serviceId('Singing for Wellbeing');
    const values = formValues((await provider.get(`/directory/services/${own}/edit`)).body);
    expect((await provider.post(`/directory/services/${own}/edit`, { ...values, capacityNote: 'Room for five more singers' })).statusCode).toBe(302);
    expect(squash((await provider.get(`/directory/services/${own}`)).body)).toContain('Room for five more singers');
    const other = await serviceId('Money and debt advice');
    expect((await provider.get(`/directory/services/${other}/edit`)).statusCode).toBe(404);
    expect((await provider.post(`/directory/services/${other}/edit`, { ...values, name: 'Taken over' })).statusCode).toBe(404);
    expect((await t.database.db.selectFrom('directory_service').select('name').where('id', '=', other).executeTakeFirstOrThrow()).name).toBe('Money and debt advice');
    // New entries only under their own organisation.
    const form = await provider.get('/directory/services/new');
    expect(selectOptions(form.body, 'organisation').map((c) => c.label)).toEqual(['Select the organisation', 'Ancholme Community Choir']);
  });

  it('an editor links a directory organisation to its staff on Anchorpoint, who may then edit its services', async () => {
    const walks = await serviceId('Weekday health walks');
    const shedProvider = await signedInAs(t.app, 'provider', 1);
    expect((await shedProvider.get(`/directory/services/${walks}/edit`)).statusCode).toBe(404);
    const organisation = await t.database.db.selectFrom('directory_organisation').select('id').where('name', '=', 'Scunthorpe Walking Group').executeTakeFirstOrThrow();
    const form = await editor.get(`/directory/organisations/${organisation.id}/edit`);
    const shed = selectOptions(form.body, 'organisationId').find((o) => o.label === 'Brumby Men’s Shed')!;
    const bad = await editor.post(`/directory/organisations/${organisation.id}/edit`, { name: '', email: 'nope', organisationId: '00000000-0000-4000-8000-000000000000' });
    expect(errorSummary(bad.body)).toEqual([
      '#name: Enter the name of the organisation',
      '#email: Enter an email address, like name@example.org.uk',
      '#organisationId: Select an organisation from the list',
    ]);
    const saved = await editor.post(`/directory/organisations/${organisation.id}/edit`, { name: 'Scunthorpe Walking Group', organisationId: shed.value });
    expect(saved.statusCode).toBe(302);
    expect((await shedProvider.get(`/directory/services/${walks}/edit`)).statusCode).toBe(200);
    const choir = await signedInAs(t.app, 'provider');
    expect((await choir.get(`/directory/organisations/${organisation.id}/edit`)).statusCode).toBe(403);
  });

  it('a link worker sees the entry but no way to change it', async () => {
    const linkWorker = await signedInAs(t.app, 'link_worker');
    const id = await serviceId('Money and debt advice');
    expect((await linkWorker.get(`/directory/services/${id}`)).body).not.toContain('Edit this entry');
    expect((await linkWorker.get(`/directory/services/${id}/edit`)).statusCode).toBe(403);
  });
});
