import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, choices, createTestApp, demoEmail, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';

let t: TestContext;
let admin: TestBrowser;

const idFrom = (location: string | undefined) => /([0-9a-f-]{36})/.exec(location ?? '')?.[1];
const linkFrom = (html: string) => /id="password-link">([^<]+)</.exec(html)?.[1]?.replace(/^https?:\/\/[^/]+/, '');

beforeAll(async () => {
  t = await createTestApp();
  admin = await signedInAs(t.app, 'admin');
});
afterAll(() => t.close());

describe('an administrator sets up a new practice and its first referrer', () => {
  let practiceId: string;
  let userId: string;
  let setPasswordPath: string;

  it('adds a GP practice to the service, refusing bad input with clear messages', async () => {
    await admin.get('/admin/organisations/new');
    const bad = await admin.post('/admin/organisations', { name: '', kind: 'gp_practice', odsCode: 'b8!', postcode: 'not a postcode' });
    expect(bad.statusCode).toBe(422);
    expect(errorSummary(bad.body)).toEqual([
      '#name: Enter the organisation’s name',
      '#odsCode: ODS code must be 3 to 10 letters and numbers, like B82005',
      '#postcode: Enter a real postcode, like DN15 6ER',
    ]);
    expect(bad.body).toContain('value="not a postcode"');

    const service = await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow();
    const created = await admin.post('/admin/organisations', {
      name: 'Riddings Lane Surgery',
      kind: 'gp_practice',
      odsCode: 'y99010',
      postcode: 'dn162qt',
      serviceId: service.id,
    });
    expect(created.statusCode).toBe(302);
    practiceId = idFrom(created.headers.location)!;
    const page = await admin.get(`/admin/organisations/${practiceId}?created`);
    expect(squash(page.body)).toContain('Riddings Lane Surgery has been added');
    expect(page.body).toContain('Y99010');
    expect(page.body).toContain('DN16 2QT');
  });

  it('refuses a duplicate ODS code and a referrer in a community organisation', async () => {
    const duplicate = await admin.post('/admin/organisations', { name: 'Another', kind: 'gp_practice', odsCode: 'Y99010' });
    expect(errorSummary(duplicate.body)).toEqual(['#odsCode: Another organisation already has this ODS code']);
    const choir = await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'community_org').executeTakeFirstOrThrow();
    const wrongPlace = await admin.post('/admin/users', { displayName: 'Sam Test', email: 'sam@example.nhs.uk', organisationId: choir.id, role: 'referrer' });
    expect(wrongPlace.statusCode).toBe(422);
    expect(errorSummary(wrongPlace.body)).toEqual(['#role: A referrer must belong to a gp practice or referring agency (council team, pharmacy, hospital, housing, vcse)']);
  });

  it('creates the referrer’s account and gets a one-time link to pass on', async () => {
    const created = await admin.post('/admin/users', {
      displayName: 'Priya Example',
      email: 'Priya.Example@example.nhs.uk',
      organisationId: practiceId,
      role: 'referrer',
    });
    expect(created.statusCode).toBe(201);
    setPasswordPath = linkFrom(created.body)!;
    expect(setPasswordPath).toMatch(/^\/set-password\/[A-Za-z0-9_-]{43}$/);
    const user = await t.database.db.selectFrom('app_user').select(['id', 'password_hash']).where('email', '=', 'Priya.Example@example.nhs.uk').executeTakeFirstOrThrow();
    expect(user.password_hash).toBeNull();
    userId = user.id;

    const again = await admin.post('/admin/users', { displayName: 'Priya Again', email: 'priya.example@EXAMPLE.nhs.uk', organisationId: practiceId, role: 'referrer' });
    expect(errorSummary(again.body)).toEqual(['#email: An account with this email address already exists. To give them another role, find them in Users and add it there']);
  });

  it('lets the new user set their own password once, within the rules', async () => {
    const priya = new TestBrowser(t.app);
    const form = await priya.get(setPasswordPath);
    expect(squash(form.body)).toContain('Hello Priya Example');
    const weak = await priya.post(setPasswordPath, { password: 'short', confirmPassword: 'short' });
    expect(errorSummary(weak.body)).toEqual(['#password: Password must be 12 characters or more. Three random words together work well.']);
    const mismatch = await priya.post(setPasswordPath, { password: 'correct horse battery', confirmPassword: 'correct horse stapler' });
    expect(errorSummary(mismatch.body)).toEqual(['#confirmPassword: The passwords do not match']);
    const done = await priya.post(setPasswordPath, { password: 'correct horse battery', confirmPassword: 'correct horse battery' });
    expect(done.headers.location).toBe('/sign-in?passwordSet');
    const reused = await priya.get(setPasswordPath);
    expect(reused.statusCode).toBe(404);
    expect(squash(reused.body)).toContain('This link has expired or been used');

    const signIn = await priya.signIn('priya.example@example.nhs.uk', 'correct horse battery');
    expect(signIn.headers.location).toBe('/referrer');
    expect(squash((await priya.get('/referrer')).body)).toContain('Riddings Lane Surgery');
  });

  it('gives them a second role, and they choose which to work in', async () => {
    const service = await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow();
    await admin.get(`/admin/users/${userId}`);
    const added = await admin.post(`/admin/users/${userId}/memberships`, { organisationId: service.id, role: 'link_worker' });
    expect(added.statusCode).toBe(302);
    const priya = new TestBrowser(t.app);
    const signIn = await priya.signIn('priya.example@example.nhs.uk', 'correct horse battery');
    expect(signIn.headers.location).toBe('/choose-role');
    const choose = await priya.get('/choose-role');
    const options = choices(choose.body, 'membershipId');
    expect(options.map((o) => o.label)).toEqual(['Referrer at Riddings Lane Surgery', 'Link worker at Scunthorpe Social Prescribing Service']);
    const chosen = await priya.post('/choose-role', { membershipId: options[1]!.value });
    expect(chosen.headers.location).toBe('/today');
  });

  it('resets the password: the old one stops working and sessions end', async () => {
    const priya = new TestBrowser(t.app);
    await priya.signIn('priya.example@example.nhs.uk', 'correct horse battery');
    await admin.get(`/admin/users/${userId}`);
    const reset = await admin.post(`/admin/users/${userId}/reset-password`, {});
    expect(reset.statusCode).toBe(200);
    const link = linkFrom(reset.body)!;
    expect((await priya.get('/choose-role')).headers.location).toBe('/sign-in');
    expect((await new TestBrowser(t.app).signIn('priya.example@example.nhs.uk', 'correct horse battery')).statusCode).toBe(401);
    const fresh = new TestBrowser(t.app);
    await fresh.get(link);
    expect((await fresh.post(link, { password: 'a brand new phrase', confirmPassword: 'a brand new phrase' })).statusCode).toBe(302);
  });

  it('disables the account, which stops sign-in at once, and enables it again', async () => {
    const priya = new TestBrowser(t.app);
    await priya.signIn('priya.example@example.nhs.uk', 'a brand new phrase');
    await admin.get(`/admin/users/${userId}`);
    await admin.post(`/admin/users/${userId}/disable`, {});
    expect((await priya.get('/choose-role')).headers.location).toBe('/sign-in');
    expect((await new TestBrowser(t.app).signIn('priya.example@example.nhs.uk', 'a brand new phrase')).statusCode).toBe(401);
    await admin.post(`/admin/users/${userId}/enable`, {});
    expect((await new TestBrowser(t.app).signIn('priya.example@example.nhs.uk', 'a brand new phrase')).statusCode).toBe(302);
  });

  it('will not let an administrator disable their own account', async () => {
    const me = await t.database.db.selectFrom('app_user').select('id').where('email', '=', demoEmail('admin')).executeTakeFirstOrThrow();
    await admin.get(`/admin/users/${me.id}`);
    const refused = await admin.post(`/admin/users/${me.id}/disable`, {});
    expect(refused.statusCode).toBe(409);
    expect(squash(refused.body)).toContain('You cannot disable your own account.');
  });

  it('records every step in the audit trail', async () => {
    const actions = await t.database.db
      .selectFrom('audit_event')
      .select('action')
      .where('record_type', '=', 'user')
      .where('record_id', '=', userId)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.create', 'user.set_password', 'membership.create', 'user.reset_password', 'user.disable', 'user.enable', 'session.sign_in']),
    );
  });
});

describe('API tokens', () => {
  it('are created by an administrator for one role, shown once, stored hashed, and can be revoked', async () => {
    const manager = await t.database.db
      .selectFrom('app_user as u')
      .innerJoin('membership as m', 'm.user_id', 'u.id')
      .select(['u.id', 'm.id as membership_id'])
      .where('u.email', '=', demoEmail('service_manager'))
      .executeTakeFirstOrThrow();
    await admin.get(`/admin/users/${manager.id}`);
    const bad = await admin.post(`/admin/users/${manager.id}/tokens`, { name: '', membershipId: 'nope', expiresInDays: '0' });
    expect(errorSummary(bad.body)).toEqual([
      '#name: Enter a name that says what the token is for, like "GP system integration"',
      '#membershipId: Select the role the token acts in',
      '#expiresInDays: Expiry must be a whole number of days from 1 to 730',
    ]);
    const created = await admin.post(`/admin/users/${manager.id}/tokens`, { name: 'Reporting script', membershipId: manager.membership_id, expiresInDays: '30' });
    expect(created.statusCode).toBe(201);
    const token = /id="api-token">([^<]+)</.exec(created.body)![1]!;
    const stored = await t.database.db.selectFrom('api_token').selectAll().where('name', '=', 'Reporting script').executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(token).toContain(stored.token_prefix);

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ role: 'service_manager', userId: manager.id });

    await admin.get(`/admin/users/${manager.id}`);
    expect((await admin.post(`/admin/tokens/${stored.id}/revoke`, {})).statusCode).toBe(302);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: 'Sign in to continue.', fields: {} });
  });
});
