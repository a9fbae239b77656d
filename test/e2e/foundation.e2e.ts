import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/db/seed/demo-region.js';
import { START_PAGES } from '../../src/platform/navigation.js';
import { expectAccessible, newPage, signIn, startE2E, type E2E } from './browser.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e.close());

describe('public pages', () => {
  it('the landing, sign-in, accessibility, privacy and not-found pages are accessible', async () => {
    const page = await newPage(e2e);
    for (const [path, name] of [
      ['/', 'landing'],
      ['/sign-in', 'sign-in'],
      ['/accessibility', 'accessibility'],
      ['/privacy', 'privacy'],
      ['/self-referral', 'self-referral'],
      ['/no-such-page', 'not-found'],
    ] as const) {
      await page.goto(path);
      await expect.poll(() => page.locator('footer').innerText()).toContain('Open Government Licence');
      await expectAccessible(page, name);
    }
  });

  it('the API documentation is a page like the others, generated from the route schemas', async () => {
    const page = await newPage(e2e);
    await page.goto('/api/docs');
    await expect.poll(() => page.locator('h1').innerText()).toBe('Anchorpoint API');
    await page.getByRole('link', { name: 'Casework' }).click();
    await page.getByRole('link', { name: 'POST /api/v1/episodes/{id}/contacts' }).click();
    const operation = page.locator('section', { has: page.locator('h3#post-api-v1-episodes-id-contacts') });
    const body = operation.locator('table', { has: page.locator('caption', { hasText: 'Request body' }) });
    expect(await body.innerText()).toMatch(/discretionReason\s+string\s+No\s+Needed when the contact goes beyond the service’s standard offer/);
    await expectAccessible(page, 'api-docs');
  });

  it('a sign-in with nothing filled in shows the error summary, focused, and says Error in the title', async () => {
    const page = await newPage(e2e);
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.title()).toMatch(/^Error: Sign in/);
    await expect.poll(() => page.evaluate("Boolean(document.activeElement?.closest('.nhsuk-error-summary'))")).toBe(true);
    await page.getByRole('link', { name: 'Enter your email address' }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('email');
    await expectAccessible(page, 'sign-in-errors');
  });
});

describe('self-referral', () => {
  it('someone asks for a link worker on a phone and gets a reference', async () => {
    const page = await newPage(e2e, { width: 390, height: 844 });
    await page.goto('/self-referral');
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Select your GP practice');
    await expectAccessible(page, 'self-referral-errors-mobile');
    await page.getByLabel('Your GP practice').selectOption({ label: 'Crosby Family Practice' });
    await page.getByLabel('First name').fill('Jo');
    await page.getByLabel('Last name').fill('Public');
    await page.locator('#dateOfBirth-day').fill('1');
    await page.locator('#dateOfBirth-month').fill('4');
    await page.locator('#dateOfBirth-year').fill('1980');
    await page.getByLabel('Phone number').fill('07700 900982');
    await page.getByLabel('Feeling lonely or cut off').check();
    await page.getByLabel('Tell us a little more').fill('I have just moved here and do not know anyone.');
    await page.getByLabel('I agree that a link worker').check();
    await page.getByRole('button', { name: 'Send' }).click();
    expect(await page.locator('#reference').innerText()).toMatch(/^AP-/);
    await expectAccessible(page, 'self-referral-sent-mobile');
  });
});

describe('each role', () => {
  for (const account of DEMO_ACCOUNTS.filter((a, i, all) => all.findIndex((b) => b.role === a.role) === i)) {
    it(`${account.role} signs in, lands on their start page with their navigation, and signs out`, async () => {
      const page = await newPage(e2e);
      await signIn(page, account.email);
      expect(new URL(page.url()).pathname).toBe(START_PAGES[account.role]);
      const nav = page.getByRole('navigation', { name: 'Menu' });
      await expect.poll(() => nav.getByRole('link').count()).toBeGreaterThan(0);
      await expectAccessible(page, `start-${account.role}`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in\?signedOut/);
      expect(await page.locator('main').innerText()).toContain('You have signed out.');
    });
  }
});

describe('administration', () => {
  it('an admin adds a practice and a referrer; the referrer sets a password and signs in', async () => {
    const admin = await newPage(e2e);
    await signIn(admin, 'admin@demo.anchorpoint.test');
    await admin.getByRole('link', { name: 'Organisations' }).first().click();
    await expectAccessible(admin, 'admin-organisations');
    await admin.getByRole('button', { name: 'Add an organisation' }).click();
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    expect(await admin.locator('.nhsuk-error-summary').innerText()).toContain('Enter the organisation’s name');
    await expectAccessible(admin, 'admin-organisation-new-errors');

    await admin.getByLabel('Name').fill('Kingsway Medical Centre');
    await admin.getByLabel('GP practice').check();
    await admin.getByLabel('ODS code (optional)').fill('Y99020');
    await admin.getByLabel('Postcode (optional)').fill('dn17 2rw');
    await admin.getByLabel('Part of (optional)').selectOption({ label: 'Scunthorpe Central PCN (Primary care network (PCN))' });
    await admin.getByLabel('Social prescribing service (optional)').selectOption({ label: 'Scunthorpe Social Prescribing Service (Social prescribing service)' });
    await admin.getByRole('button', { name: 'Add organisation' }).click();
    expect(await admin.locator('h1').innerText()).toBe('Kingsway Medical Centre');
    await expectAccessible(admin, 'admin-organisation');

    await admin.getByRole('button', { name: 'Add a user to this organisation' }).click();
    await admin.getByLabel('Full name').fill('Jordan Example');
    await admin.getByLabel('Email address').fill('jordan.example@example.nhs.uk');
    await admin.getByLabel('Referrer').check();
    await expectAccessible(admin, 'admin-user-new');
    await admin.getByRole('button', { name: 'Create account' }).click();
    const link = (await admin.locator('#password-link').innerText()).trim();
    await expectAccessible(admin, 'admin-password-link');

    const jordan = await newPage(e2e, { width: 390, height: 844 });
    await jordan.goto(link.replace(/^https?:\/\/[^/]+/, ''));
    await jordan.getByLabel('New password', { exact: true }).fill('kingsway lunchtime choir');
    await jordan.getByLabel('Confirm new password').fill('kingsway lunchtime choir');
    await expectAccessible(jordan, 'set-password-mobile');
    await jordan.getByRole('button', { name: 'Set password' }).click();
    await jordan.waitForURL(/passwordSet/);
    await signIn(jordan, 'jordan.example@example.nhs.uk', 'kingsway lunchtime choir');
    expect(new URL(jordan.url()).pathname).toBe('/referrer');
    expect(await jordan.locator('h1').innerText()).toBe('Kingsway Medical Centre');

    await admin.goto('/admin/users?search=jordan');
    await admin.getByRole('link', { name: 'Jordan Example' }).click();
    await expectAccessible(admin, 'admin-user');
  });

  it('a service manager opens a team member’s audit trail', async () => {
    const manager = await newPage(e2e);
    await signIn(manager, 'manager@demo.anchorpoint.test');
    await manager.getByRole('link', { name: /Who has viewed or changed/ }).first().click();
    expect(await manager.locator('h1').innerText()).toBe('Who has viewed or changed this record');
    await expectAccessible(manager, 'audit-trail');
  });

  it('no page broke its content security policy or threw a script error', () => {
    expect(e2e.consoleProblems).toEqual([]);
  });
});
