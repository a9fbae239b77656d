import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { TestBrowser, createTestApp, demoEmail, signedInAs, squash, type TestContext } from '../testing/test-app.js';

let t: TestContext;
const logs: string[] = [];

beforeAll(async () => {
  t = await createTestApp({ logLevel: 'info' }, { logStream: { write: (line) => void logs.push(line) } });
  // Routes that fail on purpose, to see what people are shown.
  t.app.get('/test/crash', async () => {
    throw new Error('secret internal detail: relation "app_user" at /srv/anchorpoint/src/x.ts');
  });
  t.app.get('/api/v1/test/crash', async () => {
    throw new Error('secret internal detail');
  });
  t.app.get('/test/conflict', async () => {
    throw new AppError(409, 'Someone else changed this record.');
  });
});
afterAll(() => t.close());

describe('health checks', () => {
  it('report live and ready while the database answers', async () => {
    expect((await t.app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/health/ready')).json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

describe('error pages', () => {
  it('a missing page is a 404 in the NHS layout that reveals nothing', async () => {
    const response = await t.app.inject('/no/such/page');
    expect(response.statusCode).toBe(404);
    expect(squash(response.body)).toContain('Page not found');
    expect(response.body).toContain('nhsuk-header');
    const api = await t.app.inject('/api/v1/nothing-here');
    expect(api.json()).toEqual({ error: 'We could not find that page.', fields: {} });
  });

  it('a crash is a 500 that shows no internals, and is logged with its request id', async () => {
    const response = await t.app.inject({ url: '/test/crash', headers: { 'x-request-id': 'trace-me-123' } });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret');
    expect(response.body).not.toContain('/srv/');
    expect(squash(response.body)).toContain('Sorry, there is a problem with the service');
    expect(response.headers['x-request-id']).toBe('trace-me-123');
    const api = await t.app.inject('/api/v1/test/crash');
    expect(api.json()).toEqual({ error: 'Something went wrong on our side. It has been logged.', fields: {} });
    expect(logs.some((line) => line.includes('trace-me-123') && line.includes('unhandled error'))).toBe(true);
  });

  it('an error with a status keeps its message', async () => {
    const response = await t.app.inject('/test/conflict');
    expect(response.statusCode).toBe(409);
    expect(squash(response.body)).toContain('Someone else changed this record.');
  });
});

describe('security headers', () => {
  it('set a strict content security policy with a per-response nonce, and the rest', async () => {
    const first = await t.app.inject('/sign-in');
    const second = await t.app.inject('/sign-in');
    const csp = String(first.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(first.body).toContain(`nonce="${nonce}"`);
    expect(second.headers['content-security-policy']).not.toBe(csp);
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    expect(first.headers['strict-transport-security']).toContain('max-age=');
    expect(first.headers['referrer-policy']).toBe('same-origin');
  });
});

describe('logs', () => {
  it('carry request ids but no personal data: no e-mail addresses, passwords, query strings or cookies', async () => {
    logs.length = 0;
    const browser = new TestBrowser(t.app);
    await browser.signIn(demoEmail('referrer'), 'a wrong password for the log test');
    await browser.get('/sign-in?next=%2Fpeople%3Fname%3DJane%2BDoe');
    const text = logs.join('\n');
    expect(text).toContain('"reqId"');
    expect(text).not.toContain(demoEmail('referrer'));
    expect(text).not.toContain('wrong password');
    expect(text).not.toContain('Jane');
    expect(text).not.toContain('anchorpoint_session');
    expect(text).not.toContain('_csrf');
  });
});

describe('when the database goes away', () => {
  it('a request gets 503 with a retry hint, and nothing is half-written', async () => {
    const own = await createTestApp();
    const browser = await signedInAs(own.app, 'admin');
    await own.database.close();
    const page = await browser.get('/admin/users');
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('30');
    expect(squash(page.body)).toContain('Anything you had already saved is safe');
    const ready = await own.app.inject('/health/ready');
    expect(ready.statusCode).toBe(503);
    await own.app.close();
    await own.drop().catch(() => undefined);
  });
});
