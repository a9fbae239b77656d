import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../access/roles.js';
import { START_PAGES } from '../navigation.js';
import { TestBrowser, createTestApp, demoEmail, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';
import { SESSION_COOKIE } from './session-service.js';
import { sha256 } from './secrets.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({ loginMaxFailures: 3, loginLockoutMinutes: 15 });
});
afterAll(() => t.close());

describe('signing in', () => {
  it.each(ROLES)('a %s lands on their own start page, with navigation for what they may do', async (role) => {
    const browser = new TestBrowser(t.app);
    const response = await browser.signIn(demoEmail(role));
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe(START_PAGES[role]);
    const page = await browser.get(START_PAGES[role]);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('nhsuk-header__navigation-list');
    expect(page.body).toContain(`href="${START_PAGES[role]}"`);
    expect(page.body).toContain('Skip to main content');
  });

  it('sets an HttpOnly, SameSite session cookie, Secure only over HTTPS', async () => {
    const browser = new TestBrowser(t.app);
    const response = await browser.signIn(demoEmail('link_worker'));
    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(cookie.secure).toBeFalsy();
  });

  it('marks the cookie Secure when served over HTTPS behind a trusted proxy', async () => {
    const behindProxy = await createTestApp({ trustProxy: true });
    try {
      const browser = new TestBrowser(behindProxy.app);
      const response = await browser.post(
        '/sign-in',
        { email: demoEmail('link_worker'), password: 'demo-anchorpoint-2026' },
        { headers: { 'x-forwarded-proto': 'https' } },
      );
      expect(response.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
    } finally {
      await behindProxy.close();
    }
  });

  it('stores only a hash of the session id, and gives a new session on every sign-in', async () => {
    const browser = new TestBrowser(t.app);
    await browser.signIn(demoEmail('service_manager'));
    const first = browser.cookie(SESSION_COOKIE)!;
    const stored = await t.database.db.selectFrom('session').select('id_hash').where('id_hash', '=', sha256(first)).executeTakeFirst();
    expect(stored).toBeDefined();
    expect(await t.database.db.selectFrom('session').select('id_hash').where('id_hash', '=', first).executeTakeFirst()).toBeUndefined();

    await browser.signIn(demoEmail('service_manager'));
    const second = browser.cookie(SESSION_COOKIE)!;
    expect(second).not.toBe(first);
    const reuse = new TestBrowser(t.app);
    reuse.setCookie(SESSION_COOKIE, first);
    expect((await reuse.get(START_PAGES.service_manager)).headers.location).toMatch(/^\/sign-in/);
  });

  it('gives the same answer for a wrong password and an unknown account', async () => {
    const browser = new TestBrowser(t.app);
    const wrong = await browser.post('/sign-in', { email: demoEmail('referrer'), password: 'not the password' });
    const unknown = await browser.post('/sign-in', { email: 'nobody@example.org', password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorSummary(wrong.body)).toHaveLength(1);
    expect(errorSummary(wrong.body)).toEqual(errorSummary(unknown.body));
    expect(wrong.body).toContain('<title>Error: Sign in');
  });

  it('locks an address for a while after repeated failures, whether or not the account exists', async () => {
    for (const email of [demoEmail('provider', 1), 'no-such-person@example.org']) {
      const browser = new TestBrowser(t.app);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        statuses.push((await browser.post('/sign-in', { email, password: 'wrong password' })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 429]);
      const locked = await browser.post('/sign-in', { email, password: 'demo-anchorpoint-2026' });
      expect(locked.statusCode).toBe(429);
      expect(squash(locked.body)).toContain('Too many failed attempts');
      expect(locked.headers['retry-after']).toBe(String(15 * 60));
    }
  });

  it('asks for both fields and refuses over-long ones, keeping what was typed', async () => {
    const browser = new TestBrowser(t.app);
    const empty = await browser.post('/sign-in', { email: '', password: '' });
    expect(empty.statusCode).toBe(422);
    expect(errorSummary(empty.body)).toEqual(['#email: Enter your email address', '#password: Enter your password']);
    const long = await browser.post('/sign-in', { email: `${'a'.repeat(250)}@example.org`, password: 'x'.repeat(129) });
    expect(long.statusCode).toBe(422);
    expect(errorSummary(long.body)).toEqual([
      '#email: Email address must be 254 characters or fewer',
      '#password: Password must be 128 characters or fewer',
    ]);
    expect(long.body).toContain(`value="${'a'.repeat(250)}@example.org"`);
  });

  it('refuses a form without a valid CSRF token', async () => {
    const browser = new TestBrowser(t.app);
    const missing = await browser.post('/sign-in', { email: demoEmail('admin'), password: 'demo-anchorpoint-2026' }, { csrf: false });
    expect(missing.statusCode).toBe(403);
    expect(squash(missing.body)).toContain('This form has expired');
    await browser.get('/sign-in');
    const forged = await browser.post('/sign-in', { email: demoEmail('admin'), password: 'demo-anchorpoint-2026', _csrf: 'forged' }, { csrf: false });
    expect(forged.statusCode).toBe(403);
  });

  it('sends someone who is not signed in to sign in, and back again afterwards', async () => {
    const browser = new TestBrowser(t.app);
    const response = await browser.get('/admin/users');
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?next=%2Fadmin%2Fusers');
    const signIn = await browser.post('/sign-in', { email: demoEmail('admin'), password: 'demo-anchorpoint-2026', next: '/admin/users' });
    expect(signIn.headers.location).toBe('/admin/users');
    const offsite = await browser.post('/sign-in', { email: demoEmail('admin'), password: 'demo-anchorpoint-2026', next: '//evil.example' });
    expect(offsite.headers.location).toBe('/admin');
  });
});

describe('sessions', () => {
  it('end after the idle timeout, and the sign-in page says so', async () => {
    const browser = await signedInAs(t.app, 'link_worker');
    const token = browser.cookie(SESSION_COOKIE)!;
    await t.database.db
      .updateTable('session')
      .set({ last_seen_at: new Date(Date.now() - (t.config.sessionIdleMinutes + 1) * 60_000) })
      .where('id_hash', '=', sha256(token))
      .execute();
    const again = new TestBrowser(t.app);
    again.setCookie(SESSION_COOKIE, token);
    expect(squash((await again.get('/sign-in')).body)).toContain('Your session ended');
    expect((await browser.get(START_PAGES.link_worker)).headers.location).toMatch(/^\/sign-in/);
    expect(await t.database.db.selectFrom('session').select('id_hash').where('id_hash', '=', sha256(token)).executeTakeFirst()).toBeUndefined();
  });

  it('end at the absolute limit however active they are', async () => {
    const browser = await signedInAs(t.app, 'link_worker');
    const token = browser.cookie(SESSION_COOKIE)!;
    await t.database.db.updateTable('session').set({ expires_at: new Date(Date.now() - 1000) }).where('id_hash', '=', sha256(token)).execute();
    const page = await browser.get('/sign-in');
    expect(squash(page.body)).toContain('Your session ended');
  });

  it('end on sign-out, which needs the CSRF token', async () => {
    const browser = await signedInAs(t.app, 'commissioner');
    const page = await browser.get(START_PAGES.commissioner);
    const action = /action="(\/sign-out\?_csrf=[^"]+)"/.exec(page.body)?.[1];
    expect(action).toBeDefined();
    const refused = await browser.post('/sign-out', {}, { csrf: false });
    expect(refused.statusCode).toBe(403);
    const out = await browser.post(action!.replace(/&amp;/g, '&'), {}, { csrf: false });
    expect(out.headers.location).toBe('/sign-in?signedOut');
    expect((await browser.get(START_PAGES.commissioner)).headers.location).toMatch(/^\/sign-in/);
  });
});
