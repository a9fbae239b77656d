import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApiToken } from '../../platform/auth/api-token-service.js';
import { createTestApp, demoEmail, signedInAs, type TestContext } from '../../testing/test-app.js';
import { ERROR_MEANINGS } from './api-schemas.js';

let t: TestContext;
let adminToken: string;

beforeAll(async () => {
  t = await createTestApp();
  const membership = await t.database.db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['m.id', 'u.id as user_id'])
    .where('u.email', '=', demoEmail('admin'))
    .executeTakeFirstOrThrow();
  const token = newApiToken();
  await t.database.db
    .insertInto('api_token')
    .values({ membership_id: membership.id, name: 'api test', token_hash: token.hash, token_prefix: token.prefix, created_by: membership.user_id })
    .execute();
  adminToken = token.token;
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${adminToken}`, ...headers },
    ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json', ...headers } } : { payload: body as object }),
  });

describe('the JSON API', () => {
  it('refuses a request without a token, or with a malformed or unknown one, with { error, fields }', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).json()).toEqual({ error: 'Sign in to continue.', fields: {} });
    for (const token of ['nonsense', `ap_12345678_${'x'.repeat(43)}`]) {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(response.statusCode).toBe(401);
    }
  });

  it('does not accept a browser session cookie in place of a token', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: 'anchorpoint_session=whatever' } });
    expect(response.statusCode).toBe(401);
  });

  it('creates an organisation and a user, the same rules as the pages', async () => {
    const service = await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow();
    const created = await call('POST', '/api/v1/organisations', { name: 'Westcliff Pharmacy', kind: 'agency', postcode: 'dn171dt', serviceId: service.id });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Westcliff Pharmacy', kind: 'agency', postcode: 'DN17 1DT', serviceId: service.id, disabled: false });

    const user = await call('POST', '/api/v1/users', { email: 'pharmacist@example.org', displayName: 'Ali Pharmacist', organisationId: created.json<{ id: string }>().id, role: 'referrer' });
    expect(user.statusCode).toBe(201);
    expect(user.json<{ setPasswordUrl: string }>().setPasswordUrl).toMatch(/\/set-password\/[A-Za-z0-9_-]{43}$/);
    const fetched = await call('GET', `/api/v1/users/${user.json<{ id: string }>().id}`);
    expect(fetched.json()).toMatchObject({ email: 'pharmacist@example.org', hasPassword: false, memberships: [{ role: 'referrer', organisationName: 'Westcliff Pharmacy' }] });
  });

  it('answers invalid input with 4xx and field messages, and saves nothing', async () => {
    const before = await t.database.db.selectFrom('organisation').select('id').execute();
    const wrongShape = await call('POST', '/api/v1/organisations', { name: 'X', kind: 'castle', colour: 'blue' });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json()).toMatchObject({ error: expect.any(String), fields: { kind: expect.any(String), colour: expect.stringContaining('not a field we accept') } });

    const rulesBroken = await call('POST', '/api/v1/organisations', { name: ' ', kind: 'gp_practice', postcode: 'ZZ' });
    expect(rulesBroken.statusCode).toBe(422);
    expect(rulesBroken.json()).toEqual({
      error: 'There is a problem with what was sent. Check the fields listed and try again.',
      fields: { name: 'Enter the organisation’s name', postcode: 'Enter a real postcode, like DN15 6ER' },
    });

    const tooLong = await call('POST', '/api/v1/organisations', { name: 'x'.repeat(201), kind: 'gp_practice' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json<{ fields: Record<string, string> }>().fields.name).toMatch(/200/);

    const malformed = await call('POST', '/api/v1/organisations', '{"name": "broken",');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: 'The request body is not valid JSON.', fields: {} });

    expect(await t.database.db.selectFrom('organisation').select('id').execute()).toHaveLength(before.length);
  });

  it('answers an unknown id with 404, not a database error', async () => {
    expect((await call('GET', '/api/v1/users/not-a-uuid')).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/organisations/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('is described by OpenAPI generated from the route schemas', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json<{ paths: Record<string, Record<string, unknown>>; openapi: string }>();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/me', '/api/v1/organisations', '/api/v1/organisations/{id}', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/audit-events']),
    );
    expect(Object.keys(spec.paths)).not.toContain('/health/live');
    const contacts = (spec.paths['/api/v1/episodes/{id}/contacts'] as { post: { responses: Record<string, { description: string }> } }).post;
    expect(contacts.responses['409']!.description).toBe(ERROR_MEANINGS[409]);
  });

  it('has a documentation page for people, read from the same schemas, that shows who is signed in', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.body).toContain('<h1>Anchorpoint API</h1>');
    expect(docs.body).toContain('id="post-api-v1-episodes-id-contacts"');
    expect(docs.body).toContain('<code>discretionReason</code>');
    expect(docs.body).toContain(`<dt class="nhsuk-summary-list__key" id="error-409">409</dt>`);
    expect(docs.body).toContain('href="/api/docs/json"');
    const signedIn = await signedInAs(t.app, 'admin');
    expect((await signedIn.get('/api/docs')).body).toContain('Sign out');
    expect((await t.app.inject({ method: 'GET', url: '/api/docs/nothing' })).headers['content-type']).toContain('application/json');
  });
});
