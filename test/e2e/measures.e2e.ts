import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, newPage, signIn, startE2E, type E2E } from './browser.js';
import { demoEpisode } from '../../src/testing/demo-episode.js';

/** Measures in the browser: the service chooses; a link worker records one; the person answers through a link. */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ casework: true });
});
afterAll(() => e2e.close());

describe('outcome measures', () => {
  it('a manager chooses the measures, a link worker records one, the person answers on their own device', async () => {
    const manager = await newPage(e2e);
    await signIn(manager, 'manager@demo.anchorpoint.test');
    await manager.goto('/service/measures');
    await expectAccessible(manager, 'measure-settings');
    await manager.getByRole('button', { name: 'Save measures' }).click();
    expect(await manager.locator('main').innerText()).toContain('Measures saved.');

    const episode = await demoEpisode(e2e.t.database.db, (q) => q.where('e.status', '=', 'active'));
    const worker = await newPage(e2e);
    await signIn(worker, episode.email);
    await worker.goto(`/episodes/${episode.id}`);
    await worker.getByRole('link', { name: /Record a measure/ }).click();
    await worker.getByRole('link', { name: /SWEMWBS/ }).click();
    await expectAccessible(worker, 'measure-record');
    await worker.getByLabel('Baseline', { exact: true }).check();
    for (const group of await worker.locator('fieldset').filter({ hasText: 'I’ve been' }).all()) await group.getByLabel('Some of the time').check();
    await worker.getByRole('button', { name: 'Save' }).click();
    expect(await worker.locator('#measures').isVisible()).toBe(true);
    expect(await worker.locator('main').innerText()).toContain('19.25');
    // ONS4 at baseline too, item by item.
    await worker.getByRole('link', { name: /Record a measure/ }).click();
    await worker.getByRole('link', { name: /ONS4/ }).click();
    await worker.getByLabel('Baseline', { exact: true }).check();
    await worker.locator('fieldset').filter({ hasText: 'how satisfied are you' }).getByLabel('4', { exact: true }).check();
    await worker.getByRole('button', { name: 'Save' }).click();
    expect(await worker.locator('main').innerText()).toContain('satisfied 4 (low)');
    await expectAccessible(worker, 'episode-with-measures');

    await worker.getByRole('link', { name: 'Send a link to answer on their own device' }).click();
    await expectAccessible(worker, 'measure-link-new');
    await worker.getByLabel('Follow-up', { exact: true }).check();
    await worker.getByLabel(/Short Warwick-Edinburgh/).check();
    await worker.getByLabel(/ONS personal wellbeing/).check();
    await worker.getByLabel('Ask what difference it made (at discharge and follow-up)').check();
    await worker.getByRole('button', { name: 'Make the link' }).click();
    const url = (await worker.locator('#link').innerText()).trim();
    await expectAccessible(worker, 'measure-link-made');

    const person = await e2e.browser.newContext({ viewport: { width: 390, height: 844 } }).then((c) => c.newPage());
    await person.goto(url.replace(/^https?:\/\/[^/]+/, e2e.baseUrl));
    expect(await person.locator('h1').innerText()).toMatch(/^Hello /);
    await expectAccessible(person, 'questionnaire-phone');
    for (const group of await person.locator('fieldset').filter({ hasText: 'I’ve been' }).all()) await group.getByLabel('Often').check();
    await person.locator('fieldset').filter({ hasText: 'how satisfied are you' }).getByLabel('7', { exact: true }).check();
    await person.getByLabel('Hope').check();
    await person.getByRole('button', { name: 'Send my answers' }).click();
    expect(await person.locator('main').innerText()).toContain('Your answers have been sent to your link worker.');
    await expectAccessible(person, 'questionnaire-done');

    await worker.goto(`/episodes/${episode.id}`);
    expect(await worker.locator('#change-swemwbs').innerText()).toContain('From 19.25 to 25.03 (+5.78): a reliable improvement.');
    expect(await worker.locator('main').innerText()).toContain('satisfied 7 (high)');
    await worker.getByRole('link', { name: 'Record GP appointments before and after' }).click();
    await worker.getByLabel('Appointments in the window before the referral').fill('7');
    await worker.getByLabel('Appointments in the window after the episode').fill('x');
    await worker.getByRole('button', { name: 'Save' }).click();
    expect(await worker.locator('.nhsuk-error-summary').innerText()).toContain('Appointments after must be a whole number from 0 to 500');
    await expectAccessible(worker, 'gp-appointments-errors');

    await manager.getByRole('link', { name: 'Outcomes' }).click();
    expect(await manager.locator('#caveats').innerText()).toContain('regression to the mean');
    expect(await manager.locator('#stats-swemwbs').innerText()).toContain('Only one person');
    await expectAccessible(manager, 'outcomes-report');
    await manager.goto('/service/gp-appointments');
    await manager.getByRole('button', { name: 'Import' }).click();
    expect(await manager.locator('.nhsuk-error-summary').innerText()).toContain('Choose the practice’s CSV file');
    await expectAccessible(manager, 'gp-import-errors');
  });

  it('reported no browser problems', () => {
    expect(e2e.consoleProblems).toEqual([]);
  });
});
