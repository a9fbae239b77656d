import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../db/seed/demo-region.js';
import type { TestBrowser} from '../../testing/test-app.js';
import { createTestApp, signedInAs, type TestContext } from '../../testing/test-app.js';
import { newApiToken } from '../auth/api-token-service.js';
import { can, type Actor, type Permission, type Target } from './policy.js';
import { ROLES, type OrganisationKind, type Role } from './roles.js';

/**
 * Every role tries every route, against a record of its own service and of another, in the
 * browser and through the API. Each answer must be what the policy says: allowed or refused.
 */

type Scope = 'own' | 'other';
type RecordKind = 'user' | 'organisation' | 'episode' | 'person' | 'referral' | 'directoryService' | 'connection' | 'providerReferral';

interface RouteCase {
  /** The route as registered, e.g. `GET /admin/users/:id`. */
  route: string;
  api: boolean;
  permission: Permission;
  record?: RecordKind;
  /** The URL to try, given the id of the own-service or other-service record. */
  url: (id: string, extra: Record<string, string>, role: Role) => string;
}

const page = (route: string, permission: Permission, record?: RecordKind, url?: RouteCase['url']): RouteCase => ({
  route,
  api: false,
  permission,
  ...(record ? { record } : {}),
  url: url ?? ((id) => route.split(' ')[1]!.replace(':id', id)),
});
const api = (route: string, permission: Permission, record?: RecordKind, url?: RouteCase['url']): RouteCase => ({ ...page(route, permission, record, url), api: true });

const pages: RouteCase[] = [
  page('GET /link-worker', 'team.view'),
  page('GET /manager', 'team.view'),
  page('GET /referrer', 'practice.view'),
  page('GET /provider', 'organisation.view_own'),
  page('GET /directory-editor', 'organisation.view_own'),
  page('GET /commissioner', 'commissioning.view'),
  page('GET /admin', 'organisation.manage'),
  page('GET /admin/organisations', 'organisation.manage'),
  page('GET /admin/organisations/new', 'organisation.manage'),
  page('POST /admin/organisations', 'organisation.manage'),
  page('GET /admin/organisations/:id', 'organisation.manage', 'organisation'),
  page('GET /admin/users', 'user.manage'),
  page('GET /admin/users/new', 'user.manage'),
  page('POST /admin/users', 'user.manage'),
  page('GET /admin/users/:id', 'user.manage', 'user'),
  page('POST /admin/users/:id/memberships', 'user.manage', 'user'),
  page('POST /admin/users/:id/memberships/:membershipId/remove', 'user.manage', 'user', (id, extra) => `/admin/users/${id}/memberships/${extra[id]}/remove`),
  page('POST /admin/users/:id/reset-password', 'user.manage', 'user'),
  page('POST /admin/users/:id/disable', 'user.manage', 'user'),
  page('POST /admin/users/:id/enable', 'user.manage', 'user'),
  page('POST /admin/users/:id/tokens', 'api_token.manage', 'user'),
  page('POST /admin/tokens/:tokenId/revoke', 'api_token.manage', 'user', (id, extra) => `/admin/tokens/${extra[`token:${id}`]}/revoke`),
  page('GET /audit/:recordType/:recordId', 'audit.read', 'user', (id) => `/audit/user/${id}`),
  page('GET /audit/:recordType/:recordId', 'audit.read', 'organisation', (id) => `/audit/organisation/${id}`),
  page('GET /audit/:recordType/:recordId', 'audit.read', 'person', (id) => `/audit/person/${id}`),
  // Referrals in and triage.
  page('GET /referrals', 'referral.track'),
  page('GET /referrals/new', 'referral.create'),
  page('POST /referrals', 'referral.create'),
  page('GET /referrals/:id', 'referral.track', 'referral'),
  page('GET /triage', 'referral.triage'),
  page('GET /triage/:id', 'referral.triage', 'referral'),
  page('POST /triage/:id/accept', 'referral.triage', 'referral'),
  page('POST /triage/:id/decline', 'referral.triage', 'referral'),
  page('POST /triage/:id/redirect', 'referral.triage', 'referral'),
  // Casework.
  page('GET /today', 'task.manage'),
  page('GET /caseload', 'episode.read'),
  page('GET /diary', 'episode.read'),
  page('GET /service/settings', 'service.configure'),
  page('GET /directory', 'directory.search'),
  page('GET /directory/services/:id', 'directory.search', undefined, (_id, extra) => `/directory/services/${extra.directoryService}`),
  page('POST /directory/services/:id/verify', 'directory.verify', 'directoryService'),
  page('GET /directory/services/:id/edit', 'directory.edit', 'directoryService'),
  page('POST /directory/services/:id/edit', 'directory.edit', 'directoryService'),
  page('GET /directory/services/new', 'directory.edit'),
  page('GET /directory/import', 'directory.import'),
  page('GET /messages', 'home.view'),
  page('GET /gaps', 'gap.register'),
  page('GET /episodes/:id/measures/new', 'measure.record', 'episode'),
  page('POST /episodes/:id/measures', 'measure.record', 'episode'),
  page('GET /service/measures', 'service.configure'),
  page('GET /service/gp-appointments', 'measure.import'),
  page('POST /service/gp-appointments', 'measure.import'),
  page('GET /episodes/:id/gp-appointments', 'measure.record', 'episode'),
  page('POST /episodes/:id/gp-appointments', 'measure.record', 'episode'),
  page('GET /reports/outcomes', 'report.outcomes'),
  page('GET /reports/outcomes.csv', 'report.outcomes'),
  page('GET /reports/activity', 'report.activity'),
  page('GET /reports/activity.csv', 'report.activity'),
  page('POST /service/measures', 'service.configure'),
  page('GET /episodes/:id/measure-links/new', 'measure.record', 'episode'),
  page('POST /episodes/:id/measure-links', 'measure.record', 'episode'),
  page('GET /episodes/:id/benefits/new', 'measure.record', 'episode'),
  page('POST /episodes/:id/benefits', 'measure.record', 'episode'),
  page('GET /gaps/met', 'gap.register'),
  page('POST /gaps/met', 'gap.register'),
  page('GET /gaps.csv', 'gap.export'),
  page('GET /episodes/:id/connections/new', 'connection.manage', 'episode', (id, extra) => `/episodes/${id}/connections/new?service=${extra.directoryService}`),
  page('POST /episodes/:id/connections', 'connection.manage', 'episode'),
  page('GET /connections/:id', 'connection.manage', 'connection'),
  page('POST /connections/:id/:action', 'connection.manage', 'connection', (id) => `/connections/${id}/message`),
  page('GET /provider/referrals', 'connection.respond'),
  page('GET /provider/referrals/:id', 'connection.respond', 'providerReferral'),
  page('POST /provider/referrals/:id/:action', 'connection.respond', 'providerReferral', (id) => `/provider/referrals/${id}/message`),
  page('GET /messages/:id', 'home.view', undefined, (_id, extra, role) => `/messages/${extra[`message_${role}`]}`),
  page('POST /messages/read', 'home.view'),
  page('GET /directory/organisations/:id/edit', 'directory.organisation', undefined, (_id, extra) => `/directory/organisations/${extra.directoryOrganisation}/edit`),
  page('POST /directory/organisations/:id/edit', 'directory.organisation', undefined, (_id, extra) => `/directory/organisations/${extra.directoryOrganisation}/edit`),
  page('POST /directory/import', 'directory.import'),
  page('GET /directory/imports/:id', 'directory.import', undefined, (_id, extra) => `/directory/imports/${extra.directoryImport}`),
  page('GET /directory/export.json', 'directory.export'),
  page('GET /directory/export.csv', 'directory.export'),
  page('POST /directory/services/new', 'directory.edit'),
  page('GET /directory/no-suitable-service', 'gap.record'),
  page('POST /directory/no-suitable-service', 'gap.record'),
  page('POST /service/settings', 'service.configure'),
  page('GET /people/:id', 'person.read', 'person'),
  page('GET /people/:id/edit', 'person.write', 'person'),
  page('POST /people/:id/edit', 'person.write', 'person'),
  page('GET /episodes/:id', 'episode.read', 'episode'),
  page('GET /episodes/:id/contacts/new', 'episode.write', 'episode'),
  page('GET /episodes/:id/needs', 'episode.write', 'episode'),
  page('POST /episodes/:id/contacts', 'episode.write', 'episode'),
  ...['holding/start', 'holding/end', 'close', 'reopen', 'what-matters', 'needs', 'goals'].map((path) => page(`POST /episodes/:id/${path}`, 'episode.write', 'episode')),
  page('POST /episodes/:id/reallocate', 'episode.reallocate', 'episode'),
  page('POST /episodes/:id/tasks', 'task.manage', 'episode'),
  page('POST /episodes/:id/goals/:goalId', 'episode.write', 'episode', (id, extra) => `/episodes/${id}/goals/${extra[`goal:${id}`]}`),
  page('POST /episodes/:id/goals/:goalId/steps', 'episode.write', 'episode', (id, extra) => `/episodes/${id}/goals/${extra[`goal:${id}`]}/steps`),
  page('POST /episodes/:id/steps/:stepId/done', 'episode.write', 'episode', (id, extra) => `/episodes/${id}/steps/${extra[`step:${id}`]}/done`),
  page('POST /episodes/:id/contacts/:contactId/outcome', 'episode.write', 'episode', (id, extra) => `/episodes/${id}/contacts/${extra[`contact:${id}`]}/outcome`),
  page('POST /tasks/:taskId/done', 'task.manage', 'episode', (id, extra) => `/tasks/${extra[`task:${id}`]}/done`),
];

const apiRoutes: RouteCase[] = [
  api('GET /api/v1/me', 'home.view'),
  api('GET /api/v1/directory/search', 'directory.search'),
  api('GET /api/v1/episodes/:id/connections', 'connection.manage', 'episode'),
  api('POST /api/v1/episodes/:id/connections', 'connection.manage', 'episode'),
  api('GET /api/v1/connections/:id', 'connection.manage', 'connection'),
  api('POST /api/v1/connections/:id/actions', 'connection.manage', 'connection'),
  api('GET /api/v1/provider/referrals', 'connection.respond'),
  api('GET /api/v1/provider/referrals/:id', 'connection.respond', 'providerReferral'),
  api('POST /api/v1/provider/referrals/:id/actions', 'connection.respond', 'providerReferral'),
  api('GET /api/v1/gaps', 'gap.register'),
  api('GET /api/v1/episodes/:id/measures', 'measure.record', 'episode'),
  api('POST /api/v1/episodes/:id/measures', 'measure.record', 'episode'),
  api('POST /api/v1/episodes/:id/measure-links', 'measure.record', 'episode'),
  api('GET /api/v1/reports/outcomes', 'report.outcomes'),
  api('GET /api/v1/reports/activity', 'report.activity'),
  api('POST /api/v1/gaps', 'gap.record'),
  api('GET /api/v1/directory/services/:id', 'directory.search', undefined, (_id, extra) => `/api/v1/directory/services/${extra.directoryService}`),
  api('PUT /api/v1/directory/services/:id', 'directory.edit', 'directoryService'),
  api('POST /api/v1/directory/services', 'directory.edit'),
  api('POST /api/v1/directory/services/:id/verify', 'directory.verify', 'directoryService'),
  api('POST /api/v1/directory/imports', 'directory.import'),
  api('GET /api/v1/organisations', 'organisation.manage'),
  api('POST /api/v1/organisations', 'organisation.manage'),
  api('GET /api/v1/organisations/:id', 'organisation.manage', 'organisation'),
  api('POST /api/v1/users', 'user.manage'),
  api('GET /api/v1/users/:id', 'user.manage', 'user'),
  api('POST /api/v1/users/:id/memberships', 'user.manage', 'user'),
  api('GET /api/v1/audit-events', 'audit.read', 'user', (id) => `/api/v1/audit-events?recordType=user&recordId=${id}`),
  api('POST /api/v1/referrals', 'referral.create'),
  api('GET /api/v1/referrals/:id', 'referral.track', 'referral'),
  api('GET /api/v1/triage', 'referral.triage'),
  api('GET /api/v1/triage/:id', 'referral.triage', 'referral'),
  api('POST /api/v1/triage/:id', 'referral.triage', 'referral'),
  api('GET /api/v1/caseload', 'episode.read'),
  api('GET /api/v1/episodes/:id', 'episode.read', 'episode'),
  ...['contacts', 'holding', 'holding/end', 'close', 'what-matters', 'goals'].map((path) => api(`POST /api/v1/episodes/:id/${path}`, 'episode.write', 'episode')),
];

const ROUTES = [...pages, ...apiRoutes];

let t: TestContext;
const browsers = new Map<Role, TestBrowser>();
const tokens = new Map<Role, string>();
const actors = new Map<Role, Actor>();
const records = {} as Record<RecordKind, Record<Scope, { id: string; target: Target }>>;
const extra: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  const serviceA = (await db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow()).id;
  const practiceA = (await db.selectFrom('organisation').select('id').where('kind', '=', 'gp_practice').where('service_id', '=', serviceA).executeTakeFirstOrThrow()).id;

  // Another service with its own practice and a member of staff.
  const serviceB = (await db.insertInto('organisation').values({ kind: 'sp_service', name: 'Elsewhere Social Prescribing' }).returning('id').executeTakeFirstOrThrow()).id;
  await db.updateTable('organisation').set({ service_id: serviceB }).where('id', '=', serviceB).execute();
  const practiceB = (await db.insertInto('organisation').values({ kind: 'gp_practice', name: 'Elsewhere Surgery', service_id: serviceB }).returning('id').executeTakeFirstOrThrow()).id;
  const targetUser = async (email: string, organisationId: string) => {
    const id = (await db.insertInto('app_user').values({ email, display_name: 'Target Person' }).returning('id').executeTakeFirstOrThrow()).id;
    const membership = await db.insertInto('membership').values({ user_id: id, organisation_id: organisationId, role: 'link_worker' }).returning('id').executeTakeFirstOrThrow();
    // A second role to remove, and a token to revoke: both harmless to repeat.
    const spare = await db.insertInto('membership').values({ user_id: id, organisation_id: organisationId, role: 'service_manager' }).returning('id').executeTakeFirstOrThrow();
    extra[id] = spare.id;
    const token = newApiToken();
    const row = await db
      .insertInto('api_token')
      .values({ membership_id: membership.id, name: 'target', token_hash: token.hash, token_prefix: token.prefix, created_by: id })
      .returning('id')
      .executeTakeFirstOrThrow();
    extra[`token:${id}`] = row.id;
    return id;
  };
  records.user = {
    own: { id: await targetUser('target.a@example.org', serviceA), target: { serviceIds: [serviceA] } },
    other: { id: await targetUser('target.b@example.org', serviceB), target: { serviceIds: [serviceB] } },
  };
  records.organisation = {
    own: { id: practiceA, target: { serviceIds: [serviceA], organisationId: practiceA } },
    other: { id: practiceB, target: { serviceIds: [serviceB], organisationId: practiceB } },
  };

  // A person referred by a practice in each service, with an episode and a little casework.
  const referrerPractice = (
    await db.selectFrom('organisation').innerJoin('membership', 'membership.organisation_id', 'organisation.id').innerJoin('app_user', 'app_user.id', 'membership.user_id')
      .select('organisation.id').where('app_user.email', '=', DEMO_ACCOUNTS.find((a) => a.role === 'referrer')!.email).executeTakeFirstOrThrow()
  ).id;
  const linkWorkerA = (await db.selectFrom('membership').select('user_id').where('organisation_id', '=', serviceA).where('role', '=', 'link_worker').executeTakeFirstOrThrow()).user_id;
  const caseOf = async (serviceId: string, practiceId: string, linkWorkerId: string, n: number) => {
    const person = await db.insertInto('person').values({ service_id: serviceId, given_name: 'Case', family_name: `Person ${n}`, registered_practice_id: practiceId }).returning('id').executeTakeFirstOrThrow();
    const referral = await db
      .insertInto('referral')
      .values({ service_id: serviceId, person_id: person.id, reference: `AP-TEST-000${n}`, source: 'practice', referring_organisation_id: practiceId, help_wanted: 'Help', person_agreed: true })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db.insertInto('episode').values({ service_id: serviceId, person_id: person.id, referral_id: referral.id, link_worker_user_id: linkWorkerId }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('episode_action').values({ service_id: serviceId, episode_id: episode.id, kind: 'opened', actor_user_id: linkWorkerId }).execute();
    const contact = await db
      .insertInto('contact')
      .values({ service_id: serviceId, episode_id: episode.id, starts_at: new Date(Date.now() + 86_400_000), mode: 'phone', status: 'booked', contact_type: 'support', recorded_by_user_id: linkWorkerId, link_worker_user_id: linkWorkerId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const goal = await db.insertInto('goal').values({ service_id: serviceId, episode_id: episode.id, goal: 'A goal', readiness: 'ready_now', created_by_user_id: linkWorkerId }).returning('id').executeTakeFirstOrThrow();
    const step = await db.insertInto('goal_step').values({ service_id: serviceId, goal_id: goal.id, step: 'A step' }).returning('id').executeTakeFirstOrThrow();
    const task = await db.insertInto('task').values({ service_id: serviceId, episode_id: episode.id, assigned_user_id: linkWorkerId, kind: 'manual', title: 'A task', due_on: '2026-01-01' }).returning('id').executeTakeFirstOrThrow();
    Object.assign(extra, { [`contact:${episode.id}`]: contact.id, [`goal:${episode.id}`]: goal.id, [`step:${episode.id}`]: step.id, [`task:${episode.id}`]: task.id });
    const caseTarget = { serviceIds: [serviceId], caseData: true };
    return {
      person: { id: person.id, target: caseTarget },
      referral: { id: referral.id, target: { ...caseTarget, organisationId: practiceId } },
      episode: { id: episode.id, target: caseTarget },
    };
  };
  const linkWorkerB = (await db.selectFrom('membership').select('user_id').where('organisation_id', '=', serviceB).where('role', '=', 'link_worker').executeTakeFirstOrThrow()).user_id;
  const ownCase = await caseOf(serviceA, referrerPractice, linkWorkerA, 1);
  const otherCase = await caseOf(serviceB, practiceB, linkWorkerB, 2);
  for (const kind of ['person', 'referral', 'episode'] as const) records[kind] = { own: ownCase[kind], other: otherCase[kind] };
  const directoryOrganisation = await db.insertInto('directory_organisation').values({ name: 'Matrix Org' }).returning('id').executeTakeFirstOrThrow();
  extra.directoryImport = (await db.insertInto('directory_import').values({ source: 'matrix', format: 'oruk-json', records: 0, created: 0, updated: 0, skipped: 0, flagged: 0 }).returning('id').executeTakeFirstOrThrow()).id;
  extra.directoryOrganisation = directoryOrganisation.id;
  extra.directoryService = (
    await db.insertInto('directory_service').values({ directory_organisation_id: directoryOrganisation.id, name: 'Matrix Service' }).returning('id').executeTakeFirstOrThrow()
  ).id;
  // An entry of the demo provider's own organisation, and one of nobody's.
  const providerOrganisation = (
    await db.selectFrom('membership as m').innerJoin('app_user as u', 'u.id', 'm.user_id').select('m.organisation_id')
      .where('u.email', '=', DEMO_ACCOUNTS.find((a) => a.role === 'provider')!.email).executeTakeFirstOrThrow()
  ).organisation_id;
  const providerEntry = await db.insertInto('directory_organisation').values({ name: 'Provider Org', organisation_id: providerOrganisation }).returning('id').executeTakeFirstOrThrow();
  const ownEntry = await db.insertInto('directory_service').values({ directory_organisation_id: providerEntry.id, name: 'Own Entry' }).returning('id').executeTakeFirstOrThrow();
  records.directoryService = {
    own: { id: ownEntry.id, target: { organisationId: providerOrganisation } },
    other: { id: extra.directoryService, target: { organisationId: null } },
  };

  // A referral from each service's case: one to the demo provider's own entry, one to an entry of nobody's.
  const connectionOf = async (c: typeof ownCase, serviceId: string, linkWorkerId: string, directoryServiceId: string, providerId: string | null) =>
    (
      await db
        .insertInto('connection')
        .values({ service_id: serviceId, episode_id: c.episode.id, person_id: c.person.id, directory_service_id: directoryServiceId, provider_organisation_id: providerId, kind: 'referral', status: 'referred', reason: 'Matrix', created_by_user_id: linkWorkerId, referred_at: new Date() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const ownConnection = await connectionOf(ownCase, serviceA, linkWorkerA, ownEntry.id, providerOrganisation);
  const otherConnection = await connectionOf(otherCase, serviceB, linkWorkerB, extra.directoryService, null);
  records.connection = {
    own: { id: ownConnection, target: { serviceIds: [serviceA], caseData: true } },
    other: { id: otherConnection, target: { serviceIds: [serviceB], caseData: true } },
  };
  records.providerReferral = {
    own: { id: ownConnection, target: { organisationId: providerOrganisation } },
    other: { id: otherConnection, target: { organisationId: null } },
  };

  for (const role of ROLES) {
    browsers.set(role, await signedInAs(t.app, role));
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    const membership = await db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
      .select(['m.id', 'u.id as user_id', 'u.display_name', 'o.id as organisation_id', 'o.kind', 'o.name', 'o.service_id'])
      .where('u.email', '=', account.email)
      .executeTakeFirstOrThrow();
    actors.set(role, {
      userId: membership.user_id,
      displayName: membership.display_name,
      membershipId: membership.id,
      role,
      organisationId: membership.organisation_id,
      organisationKind: membership.kind as OrganisationKind,
      organisationName: membership.name,
      serviceId: membership.service_id,
      via: 'session',
    });
    const token = newApiToken();
    await db
      .insertInto('api_token')
      .values({ membership_id: membership.id, name: 'matrix', token_hash: token.hash, token_prefix: token.prefix, created_by: membership.user_id })
      .execute();
    tokens.set(role, token.token);
    extra[`message_${role}`] = (
      await db.insertInto('notification').values({ user_id: membership.user_id, kind: 'matrix', title: 'Matrix', body: 'Matrix' }).returning('id').executeTakeFirstOrThrow()
    ).id;
  }
}, 120_000);
afterAll(() => t.close());

function expected(role: Role, route: RouteCase, scope: Scope): 'allowed' | 'refused' {
  const actor = actors.get(role)!;
  if (!can(actor, route.permission)) return 'refused';
  if (route.record && !can(actor, route.permission, records[route.record][scope].target)) return 'refused';
  return 'allowed';
}

async function attempt(role: Role, route: RouteCase, scope: Scope): Promise<{ outcome: 'allowed' | 'refused'; status: number }> {
  const id = route.record ? records[route.record][scope].id : '';
  const url = route.url(id, extra, role);
  const method = route.route.split(' ')[0] as 'GET' | 'POST' | 'PUT';
  if (route.api) {
    const response = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens.get(role)!}` },
      ...(method !== 'GET' ? { payload: {} } : {}),
    });
    return { outcome: [401, 403, 404].includes(response.statusCode) ? 'refused' : 'allowed', status: response.statusCode };
  }
  const browser = browsers.get(role)!;
  const response = method === 'GET' ? await browser.get(url) : await browser.post(url, {});
  const toSignIn = response.statusCode === 302 && /^\/(sign-in|choose-role)/.test(String(response.headers.location));
  const refused = [401, 403, 404].includes(response.statusCode) || toSignIn;
  return { outcome: refused ? 'refused' : 'allowed', status: response.statusCode };
}

const everyCombination = ROLES.flatMap((role) => ROUTES.flatMap((route) => (['own', 'other'] as const).map((scope) => [role, route, scope] as [Role, RouteCase, Scope])));

describe('the access matrix', () => {
  it('answers every role, route and record exactly as the policy decides', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROLES), fc.constantFrom(...ROUTES), fc.constantFrom<Scope>('own', 'other'), async (role, route, scope) => {
        const { outcome, status } = await attempt(role, route, scope);
        const name = `${route.route}${route.record ? ` (${route.record})` : ''}`;
        expect({ role, name, scope, outcome }, `status ${status}`).toEqual({ role, name, scope, outcome: expected(role, route, scope) });
      }),
      { examples: everyCombination, numRuns: 100 },
    );
  }, 300_000);

  it('covers every route the app serves, except the public ones listed here', () => {
    const PUBLIC = [
      'GET /', 'GET /sign-in', 'POST /sign-in', 'POST /sign-out', 'GET /choose-role', 'POST /choose-role',
      'GET /set-password/:token', 'POST /set-password/:token', 'GET /accessibility', 'GET /privacy',
      'GET /health/live', 'GET /health/ready', 'GET /self-referral', 'POST /self-referral', 'GET /nhsuk/frontend.min.js', 'GET /nhsuk/nhsuk-frontend.css',
      // A person answering their questionnaire through a single-use link, without an account.
      'GET /q/:token', 'POST /q/:token',
      // The Open Referral UK API publishes the directory (organisations and services, never people).
      'GET /openreferral', 'GET /openreferral/', 'GET /openreferral/services', 'GET /openreferral/services/:id', 'GET /openreferral/service_at_locations',
      'GET /openreferral/service_at_locations/:id', 'GET /openreferral/organizations', 'GET /openreferral/organizations/:id', 'GET /openreferral/taxonomies',
      'GET /openreferral/taxonomies/:id', 'GET /openreferral/taxonomy_terms', 'GET /openreferral/taxonomy_terms/:id',
    ];
    const covered = new Set(ROUTES.map((r) => r.route));
    expect(ROUTES.filter((r) => r.record === 'person' || r.record === 'episode').length).toBeGreaterThan(20);
    const uncovered = t.app.routeTable
      .map((r) => `${r.method} ${r.url}`)
      .filter((name) => !/ \/(nhsuk|public|assets|api\/docs)(\/|$)/.test(name))
      .filter((name) => !PUBLIC.includes(name) && !covered.has(name));
    expect(uncovered).toEqual([]);
  });

  it('agrees with the cases people care about most', () => {
    const auditUser = ROUTES.find((r) => r.route === 'GET /audit/:recordType/:recordId' && r.record === 'user')!;
    expect(expected('service_manager', auditUser, 'own')).toBe('allowed');
    expect(expected('service_manager', auditUser, 'other')).toBe('refused');
    expect(expected('link_worker', auditUser, 'own')).toBe('refused');
    expect(expected('admin', auditUser, 'other')).toBe('allowed');
    expect(expected('commissioner', ROUTES.find((r) => r.route === 'GET /admin/users/:id')!, 'own')).toBe('refused');
    expect(everyCombination.length).toBe(ROLES.length * ROUTES.length * 2);
  });
});
