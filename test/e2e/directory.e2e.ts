import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindProviders } from '../../src/modules/directory/directory-reminders.js';
import { expectAccessible, newPage, signIn, startE2E, type E2E } from './browser.js';
import { demoEpisode } from '../../src/testing/demo-episode.js';

/**
 * The directory in the browser: a link worker finds "a free singing group within 3 miles of this
 * person's postcode on a weekday" from the person's record; an editor fixes a stale entry and imports a feed.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ casework: true });
});
afterAll(() => e2e.close());

describe('the community directory', () => {
  it('a link worker finds a free weekday singing group within 3 miles of the person', async () => {
    const db = e2e.t.database.db;
    const episode = await demoEpisode(db, (q) => q.where('p.postcode', '=', 'DN15 7QG'));
    const page = await newPage(e2e);
    await signIn(page, episode.email);
    await page.goto(`/episodes/${episode.id}`);
    await page.getByRole('link', { name: `Find community support near ${episode.given_name}` }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('Community directory');
    expect(await page.locator('main').innerText()).toContain(`Searching near ${episode.given_name}'s home (DN15 7QG)`);
    await page.getByLabel('Search', { exact: true }).fill('singing');
    await page.getByLabel('Distance').selectOption('3');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await page.getByLabel(day).check();
    await page.getByLabel('Free services only').check();
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('.nhsuk-card__heading');
    await expect.poll(() => results.allInnerTexts()).toEqual(['Singing for Wellbeing']);
    const card = await page.locator('.nhsuk-card').first().innerText();
    expect(card).toMatch(/1\.\d miles/);
    expect(card).toMatch(/Next session: Tuesday \d+ \w+, 10:00 to 12:00/);
    await expectAccessible(page, 'directory-search-near-person');

    await page.getByRole('link', { name: 'Singing for Wellbeing' }).click();
    const entry = await page.locator('main').innerText();
    expect(entry).toContain('Tuesdays, 10:00 to 12:00');
    expect(entry).toContain('St Hugh’s Church Hall');
    await expectAccessible(page, 'directory-service');

    // A typo still finds it.
    await page.goto('/directory?q=sining');
    expect(await page.locator('#corrected').innerText()).toContain('Showing results for');
    await expectAccessible(page, 'directory-search-corrected');
    await page.goto('/directory?postcode=nowhere&radius=3');
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter a full postcode');
    await expectAccessible(page, 'directory-search-errors');
  });

  it('a provider is reminded to check their stale entry, in their messages', async () => {
    expect(await remindProviders(e2e.t.database.db)).toBe(1);
    const page = await newPage(e2e);
    await signIn(page, 'provider.shed@demo.anchorpoint.test');
    await page.getByRole('link', { name: 'Messages (1 new)' }).click();
    await expectAccessible(page, 'messages');
    await page.getByRole('link', { name: 'A directory entry needs checking' }).click();
    expect(await page.locator('main').innerText()).toContain('Shed workshop mornings');
    await expectAccessible(page, 'message');
    await page.locator('main').getByRole('button', { name: 'Open', exact: true }).click();
    expect(await page.locator('main').innerText()).toContain('Your directory entries');
    await expectAccessible(page, 'provider-home');
  });

  it('an editor fixes a stale entry', async () => {
    const page = await newPage(e2e);
    await signIn(page, 'editor@demo.anchorpoint.test');
    await expectAccessible(page, 'directory-editor-home');
    await page.getByRole('link', { name: 'Shed workshop mornings' }).click();
    expect(await page.locator('main').innerText()).toContain('This entry may be out of date');
    await page.getByRole('button', { name: 'Edit this entry' }).or(page.getByRole('link', { name: 'Edit this entry' })).click();
    await expectAccessible(page, 'directory-edit');
    await page.getByLabel('Name of the service').fill('');
    await page.locator('#closes1').fill('08:00');
    await page.getByRole('button', { name: 'Save the entry' }).click();
    const summary = await page.locator('.nhsuk-error-summary').innerText();
    expect(summary).toContain('Enter the name of the service');
    expect(summary).toContain('Session 1 must end after it starts');
    await expectAccessible(page, 'directory-edit-errors');
    await page.getByLabel('Name of the service').fill('Shed workshop mornings');
    await page.locator('#closes1').fill('12:30');
    await page.getByLabel('Capacity or waiting').fill('Room for new members on Fridays');
    await page.getByRole('button', { name: 'Save the entry' }).click();
    const saved = await page.locator('main').innerText();
    expect(saved).toContain('Entry saved.');
    expect(saved).toContain('Room for new members on Fridays');
    expect(saved).not.toContain('This entry may be out of date');
    await page.goto('/directory-editor');
    expect(await page.locator('main').innerText()).toContain('100% of open entries');
  });

  it('an editor imports a feed and reads the report', async () => {
    const page = await newPage(e2e);
    await signIn(page, 'editor@demo.anchorpoint.test');
    await page.getByRole('link', { name: 'Import from another directory' }).click();
    await expectAccessible(page, 'directory-import');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'feed-')), 'feed.json');
    fs.writeFileSync(
      file,
      JSON.stringify([
        { id: 'e2e-1', name: 'Lunch club', description: '<p>A hot meal and company.</p>', status: 'active', organization: { id: 'e2e-org', name: 'E2E Lunch Club' } },
        { id: 'e2e-2', description: 'No name', organization: { id: 'e2e-org', name: 'E2E Lunch Club' } },
      ]),
    );
    await page.getByLabel('Source name').fill('e2e-feed');
    await page.locator('input[type=file]').setInputFiles(file);
    await page.getByRole('button', { name: 'Import' }).click();
    const report = await page.locator('main').innerText();
    expect(report).toContain('Every one of the 2 records is accounted for');
    expect(report).toContain('no name');
    await expectAccessible(page, 'directory-import-report');
  });

  it('reported no browser problems', () => {
    expect(e2e.consoleProblems).toEqual([]);
  });
});
