import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectAccessible, newPage, signIn, startE2E, type E2E } from './browser.js';
import { todayInLondon } from '../../src/shared/dates.js';

/**
 * The whole path in the browser: a referrer refers → the manager accepts and allocates → the link
 * worker records contacts, a plan and a holding period → closes → the referrer sees the outcome and the SNOMED code.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e.close());

/** Fills an NHS date input with a day as England reads it (ISO yyyy-mm-dd). */
async function fillDate(page: Page, prefix: string, isoDate: string) {
  const [year, month, day] = isoDate.split('-');
  await page.locator(`#${prefix}-day`).fill(String(Number(day)));
  await page.locator(`#${prefix}-month`).fill(String(Number(month)));
  await page.locator(`#${prefix}-year`).fill(year!);
}

describe('from referral to outcome', () => {
  it('walks the whole path', async () => {
    // The practice refers.
    const referrer = await newPage(e2e);
    await signIn(referrer, 'referrer.ashby@demo.anchorpoint.test');
    await referrer.getByRole('link', { name: 'Refer someone' }).first().click();
    await expectAccessible(referrer, 'referral-new');
    await referrer.getByRole('button', { name: 'Send referral' }).click();
    expect(await referrer.locator('.nhsuk-error-summary').innerText()).toContain('Enter their NHS number');
    await expectAccessible(referrer, 'referral-new-errors');
    await referrer.getByLabel('NHS number').fill('401 023 2137');
    await referrer.getByLabel('First name').fill('Sam');
    await referrer.getByLabel('Last name', { exact: true }).fill('Example');
    await fillDate(referrer, 'dateOfBirth', '1958-06-03');
    await referrer.getByLabel('Loneliness and social isolation').check();
    await referrer.getByLabel('What would the person like help with?').fill('Feels alone since retiring; would like a reason to get out.');
    await referrer.getByLabel('The person has agreed to be referred to social prescribing').check();
    await referrer.getByRole('button', { name: 'Send referral' }).click();
    const reference = (await referrer.locator('#reference').innerText()).trim();
    expect(reference).toMatch(/^AP-/);
    await expectAccessible(referrer, 'referral-sent');

    // The manager accepts and allocates.
    const manager = await newPage(e2e);
    await signIn(manager, 'manager@demo.anchorpoint.test');
    await manager.getByRole('link', { name: 'Waiting list' }).click();
    await expectAccessible(manager, 'triage-list');
    await manager.getByRole('link', { name: 'Sam Example' }).click();
    await expectAccessible(manager, 'triage-referral');
    const { display_name: linkWorkerName } = await e2e.t.database.db
      .selectFrom('app_user')
      .select('display_name')
      .where('email', '=', 'linkworker1@demo.anchorpoint.test')
      .executeTakeFirstOrThrow();
    await manager.getByLabel(linkWorkerName).check();
    await manager.getByRole('button', { name: 'Accept referral' }).click();
    expect(await manager.locator('main').innerText()).toContain('No referrals are waiting.');

    // The link worker works with Sam.
    const linkWorker = await newPage(e2e);
    await signIn(linkWorker, 'linkworker1@demo.anchorpoint.test');
    expect(await linkWorker.locator('h1').innerText()).toBe('Today');
    await expectAccessible(linkWorker, 'today');
    await linkWorker.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Caseload' }).click();
    await expectAccessible(linkWorker, 'caseload');
    await linkWorker.getByRole('link', { name: 'Sam Example' }).click();
    await expectAccessible(linkWorker, 'episode-new');
    expect(await linkWorker.locator('.nhsuk-caption-l').first().innerText()).toContain(linkWorkerName);

    await linkWorker.getByRole('button', { name: 'Record a contact' }).click();
    await expectAccessible(linkWorker, 'contact-new');
    await linkWorker.getByLabel('Attended').check();
    await fillDate(linkWorker, 'date', todayInLondon());
    await linkWorker.getByLabel('Time').fill('00:05');
    await linkWorker.getByLabel('Phone', { exact: true }).check();
    await linkWorker.getByLabel('Length in minutes').fill('40');
    await linkWorker.getByLabel('Assessment').check();
    await linkWorker.getByLabel('Notes (optional)').fill('First call. Talked about his allotment.');
    await linkWorker.getByRole('button', { name: 'Save contact' }).click();
    expect(await linkWorker.locator('h1').innerText()).toContain('Active');

    await linkWorker.locator('summary', { hasText: 'Record what matters to them' }).click();
    await linkWorker.getByLabel('In their words').fill('Being useful, and seeing people during the week.');
    await linkWorker.getByRole('button', { name: 'Save', exact: true }).click();
    await linkWorker.getByRole('link', { name: /^Assess needs/ }).click();
    await linkWorker.locator('#need-loneliness').check();
    await expectAccessible(linkWorker, 'needs');
    await linkWorker.getByRole('button', { name: 'Save assessment' }).click();
    expect(await linkWorker.locator('#needs').locator('xpath=..').innerText()).toContain('Loneliness and social isolation: High');
    await linkWorker.locator('summary', { hasText: 'Add a goal' }).click();
    await linkWorker.getByLabel('The goal, in their own words').fill('Help at the community garden');
    await linkWorker.getByLabel('Ready now').check();
    await linkWorker.getByRole('button', { name: 'Add goal' }).click();
    await linkWorker.locator('summary', { hasText: 'Start holding' }).click();
    await linkWorker.getByLabel('Preparing for change: not yet ready or able to connect').check();
    await linkWorker.getByRole('button', { name: 'Start holding' }).click();
    expect(await linkWorker.locator('h1').innerText()).toContain('Holding');
    await expectAccessible(linkWorker, 'episode-holding');
    await linkWorker.getByRole('button', { name: 'End holding' }).click();

    // The next contact is booked from the last; until it is due it can only be cancelled.
    await linkWorker.getByRole('link', { name: 'Book the next contact' }).click();
    await linkWorker.getByLabel('Support', { exact: true }).check();
    await linkWorker.getByRole('button', { name: 'Save contact' }).click();
    await linkWorker.locator('summary', { hasText: 'Cancel this booking' }).click();
    expect(await linkWorker.locator('#contacts ~ table').innerText()).not.toContain('Record what happened');
    await expectAccessible(linkWorker, 'episode-booked');
    await linkWorker.getByRole('button', { name: /^Cancel the booking/ }).click();
    expect(await linkWorker.locator('#contacts ~ table').innerText()).toContain('Cancelled');

    await linkWorker.locator('summary', { hasText: 'Close the episode' }).click();
    await linkWorker.getByLabel('Connected to community support').check();
    await linkWorker.getByLabel('Summary for the referrer').fill('Sam volunteers at the community garden on Wednesdays.');
    await linkWorker.getByRole('button', { name: 'Close episode' }).click();
    expect(await linkWorker.locator('h1').innerText()).toContain('Closed');
    await expectAccessible(linkWorker, 'episode-closed');

    // The referrer sees the outcome.
    await referrer.goto('/referrals');
    await expectAccessible(referrer, 'referrals-list');
    await referrer.getByRole('link', { name: reference }).click();
    expect(await referrer.locator('main').innerText()).toContain('Sam volunteers at the community garden on Wednesdays.');
    expect(await referrer.locator('#snomed-code').innerText()).toBe('871731000000106');
    expect(await referrer.locator('main').innerText()).not.toContain('allotment');
    await expectAccessible(referrer, 'referral-outcome');

    // The manager's views.
    await manager.goto('/caseload?status=closed');
    await expectAccessible(manager, 'caseload-manager');
    await manager.getByRole('link', { name: 'Sam Example' }).click();
    await manager.getByRole('link', { name: /Full record/ }).click();
    await expectAccessible(manager, 'person');
    await manager.getByRole('link', { name: 'Who has viewed or changed this record' }).click();
    expect(await manager.locator('main').innerText()).toContain('Closed the episode');
    await manager.goto('/service/settings');
    await expectAccessible(manager, 'settings');
    // Sam's holding is in the activity report: one period, ended, under a day.
    await manager.getByRole('link', { name: 'Activity' }).click();
    const preparing = manager.locator('#holding-reasons tr', { hasText: 'Preparing for change' });
    expect(await preparing.locator('td').allInnerTexts()).toEqual(['1', '0', '0']);
    await expectAccessible(manager, 'activity-report');
    await manager.getByRole('group', { name: 'Start date' }).getByLabel('Day').fill('31');
    await manager.getByRole('group', { name: 'Start date' }).getByLabel('Month').fill('2');
    await manager.getByRole('button', { name: 'Show' }).click();
    expect(await manager.locator('.nhsuk-error-summary').innerText()).toContain('Start date must be a real date');
    await expectAccessible(manager, 'activity-report-errors');
    await linkWorker.goto('/diary');
    await expectAccessible(linkWorker, 'diary');
    await linkWorker.getByRole('link', { name: 'Directory' }).click();
    await linkWorker.getByLabel('Search').fill('singing');
    await linkWorker.getByRole('button', { name: 'Search' }).click();
    await expectAccessible(linkWorker, 'directory-search');
    await linkWorker.getByRole('link', { name: 'Singing for Wellbeing' }).click();
    await expectAccessible(linkWorker, 'directory-service');
    await linkWorker.goto('/directory?q=astronomy');
    await linkWorker.getByRole('link', { name: 'Record that there is no suitable service' }).click();
    await linkWorker.getByLabel('Need').selectOption({ label: 'Arts, culture and creativity' });
    await linkWorker.getByLabel('Area').fill('DN16');
    await linkWorker.getByLabel('What was missing?').fill('An astronomy group');
    await expectAccessible(linkWorker, 'gap-form');
    await linkWorker.getByRole('button', { name: 'Record the gap' }).click();
    expect(await linkWorker.locator('h1').innerText()).toBe('Gap recorded');
  });

  it('no page broke its content security policy or threw a script error', () => {
    expect(e2e.consoleProblems).toEqual([]);
  });
});
