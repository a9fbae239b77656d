import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/access/policy.js';
import { apiClientFor, createTestApp, decode, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';
import { todayInLondon } from '../../shared/dates.js';
import { endHolding, startHolding } from './casework-service.js';
import { activityCsvRows } from './activity-report-routes.js';
import type { ActivityReport } from './activity-report.js';

/**
 * The activity report: holding (how much, why, how long, by link worker), discretions (how often
 * and why) and referrals by practice; suppressed for commissioners; the same through the API.
 * The demo holds one person (preparing for change, from today) and has one longer first call.
 */

let t: TestContext;
const daysAgo = (n: number) => todayInLondon(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  const db = t.database.db;
  const active = await db
    .selectFrom('episode as e')
    .innerJoin('membership as m', (join) => join.onRef('m.user_id', '=', 'e.link_worker_user_id').onRef('m.organisation_id', '=', 'e.service_id'))
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['e.id', 'e.service_id', 'm.id as membership_id', 'm.organisation_id', 'u.id as user_id', 'u.display_name'])
    .where('e.status', '=', 'active')
    .orderBy('e.opened_at')
    .execute();
  expect(active.length).toBeGreaterThanOrEqual(2);
  const ctxFor = (row: (typeof active)[number]) => {
    const actor: Actor = { userId: row.user_id, displayName: row.display_name, membershipId: row.membership_id, role: 'link_worker', organisationId: row.organisation_id, organisationKind: 'sp_service', organisationName: '', serviceId: row.service_id, via: 'session' };
    return { db, actor, requestId: 'test' };
  };
  // Held for want of provision from 10 to 4 days ago (6 days), and another still held since 20 days ago.
  const [ended, ongoing] = active;
  await startHolding(ctxFor(ended!), ended!.id, { holdingReason: 'no_provision' });
  await endHolding(ctxFor(ended!), ended!.id, {});
  await startHolding(ctxFor(ongoing!), ongoing!.id, { holdingReason: 'no_provision' });
  // Noon in England, n days before today there: the report counts calendar days in England.
  const noon = (n: number) => `(((now() at time zone 'Europe/London')::date - ${n}) + time '12:00') at time zone 'Europe/London'`;
  await t.database.withOwner((run) =>
    run(`
      update episode_action set occurred_at = ${noon(10)} where episode_id = '${ended!.id}' and kind = 'holding_started';
      update episode_action set occurred_at = ${noon(4)} where episode_id = '${ended!.id}' and kind = 'holding_ended';
      update episode_action set occurred_at = ${noon(20)} where episode_id = '${ongoing!.id}' and kind = 'holding_started';
    `),
  );
}, 60_000);
afterAll(() => t.close());

describe('the activity report', () => {
  it('shows the manager holding by reason and by link worker, discretions with their reasons, and referrals by practice', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const response = await manager.get('/reports/activity');
    expect(response.statusCode).toBe(200);
    const page = squash(decode(response.body));
    expect(page).toContain('<h1>Activity report</h1>');
    // Three periods: 6 days (ended), 20 days so far, and the demo's from today; the median is 6.
    expect(page).toMatch(/Periods of holding<\/dt><dd class="nhsuk-summary-list__value">3</);
    expect(page).toMatch(/People held<\/dt><dd class="nhsuk-summary-list__value">3</);
    expect(page).toMatch(/Held now<\/dt><dd class="nhsuk-summary-list__value">2</);
    expect(page).toMatch(/Median days held<\/dt><dd class="nhsuk-summary-list__value">6</);
    expect(page).toMatch(/Waiting for, or no suitable, community provision<\/th><td[^>]*>2<\/td><td[^>]*>1<\/td><td[^>]*>13<\/td>/);
    expect(page).toMatch(/Preparing for change: not yet ready or able to connect<\/th><td[^>]*>1<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td>/);
    expect(page).toContain('href="/gaps"');
    const workers = page.match(/<table class="nhsuk-table" id="holding-by-link-worker">.*?<\/table>/)![0];
    expect(workers.match(/<tr class="nhsuk-table__row"><th scope="row"/g)).toHaveLength(3);

    expect(page).toContain('Discretions: 1 in 1 episode<');
    expect(page).toMatch(/A longer contact than the standard length<\/th><td[^>]*>1</);
    expect(page).toContain('“Went through an urgent letter about rent arrears together.”');
    const discretionWorkers = page.match(/<table class="nhsuk-table" id="discretions-by-link-worker">.*?<\/table>/)![0];
    expect(discretionWorkers).toMatch(/<td[^>]*>0<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td><td[^>]*>1<\/td>/);

    // The demo's eight referrals alternate between two practices: Ashby referred four (three accepted, one waiting).
    const ashby = await t.database.db.selectFrom('organisation as o').innerJoin('membership as m', 'm.organisation_id', 'o.id').innerJoin('app_user as u', 'u.id', 'm.user_id').select('o.name').where('u.email', 'like', 'referrer.ashby@%').executeTakeFirstOrThrow();
    expect(page).toMatch(new RegExp(`${ashby.name}</th><td[^>]*>4</td><td[^>]*>3</td><td[^>]*>0</td><td[^>]*>0</td><td[^>]*>1</td>`));
  });

  it('counts only holding under way in the period, and refuses a period it cannot read', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const since = daysAgo(3).split('-');
    const recent = squash((await manager.get(`/reports/activity?from[day]=${since[2]}&from[month]=${since[1]}&from[year]=${since[0]}`)).body);
    expect(recent).toMatch(/Periods of holding<\/dt><dd class="nhsuk-summary-list__value">2</);
    const old = squash((await manager.get('/reports/activity?from=2020-01-01&to=2020-12-31')).body);
    expect(old).toMatch(/Periods of holding<\/dt><dd class="nhsuk-summary-list__value">0</);
    expect(old).toMatch(/Median days held<\/dt><dd class="nhsuk-summary-list__value">Not enough data</);
    expect(old).toContain('Discretions: 0 in 0 episodes<');
    const [ashby] = await t.database.db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'gp_practice').orderBy('name').execute();
    const onePractice = squash(decode((await manager.get(`/reports/activity?practice=${ashby!.id}`)).body));
    expect(onePractice.match(/<table class="nhsuk-table" id="practice-referrals">.*?<\/table>/)![0].match(/<th scope="row"/g)).toHaveLength(1);
    const worker = await t.database.db.selectFrom('app_user').select('id').where('email', 'like', 'linkworker1@%').executeTakeFirstOrThrow();
    expect(squash((await manager.get(`/reports/activity?linkWorker=${worker.id}`)).body)).toContain('to the whole service, whichever link worker took them');
    const bad = await manager.get('/reports/activity?from[day]=31&from[month]=2&from[year]=2026');
    expect(bad.statusCode).toBe(422);
    expect(errorSummary(bad.body)).toEqual(['#from-day: Start date must be a real date, like 27 3 2007']);
    expect(squash(bad.body)).toContain('value="31"');
  });

  it('gives a commissioner the service totals only: counts under 5 suppressed, no link worker, no discretion’s words', async () => {
    const commissioner = await signedInAs(t.app, 'commissioner');
    const page = squash(decode((await commissioner.get('/reports/activity')).body));
    expect(page).toMatch(/Periods of holding<\/dt><dd class="nhsuk-summary-list__value">&lt;5|<5</);
    expect(page).toMatch(/Median days held<\/dt><dd class="nhsuk-summary-list__value">Not enough data</);
    expect(page).not.toContain('holding-by-link-worker');
    expect(page).not.toContain('discretions-by-link-worker');
    expect(page).not.toContain('rent arrears');
    expect(page).not.toContain('name="linkWorker"');
    const csv = (await commissioner.get('/reports/activity.csv')).body;
    expect(csv).toContain('holding,all,holding periods,<5');
    expect(csv).not.toContain('rent arrears');
    expect((await (await signedInAs(t.app, 'link_worker')).get('/reports/activity')).statusCode).toBe(403);
  });

  it('downloads the same figures as CSV', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const csv = await manager.get('/reports/activity.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="activity-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(csv.body.split('\n')[0]).toBe('section,row,measure,value');
    expect(csv.body).toContain('holding,all,holding periods,3');
    expect(csv.body).toContain('holding reason,"Waiting for, or no suitable, community provision",median days,13');
    expect(activityCsvRows(null)).toEqual([['section', 'row', 'measure', 'value']]);
  });

  it('answers the same through the API, with the same checks', async () => {
    const manager = await apiClientFor(t, 'service_manager');
    const response = await manager('GET', '/api/v1/reports/activity');
    expect(response.statusCode).toBe(200);
    const report = response.json<ActivityReport>();
    expect(Object.keys(report).sort()).toEqual(['discretions', 'holding', 'practices', 'scope']);
    expect(report.holding).toMatchObject({ periods: 3, people: 3, heldNow: 2, medianDays: 6 });
    expect(report.holding.byReason.find((r) => r.reason === 'no_provision')).toMatchObject({ periods: 2, heldNow: 1, medianDays: 13 });
    const workers = report.holding.byLinkWorker;
    expect(workers.map((w) => w.medianDays).sort((a, b) => (a ?? -1) - (b ?? -1))).toEqual([0, 6, 20]);
    expect(workers.map((w) => [w.medianDays, w.periods, w.heldNow, w.heldShare === Math.round((100 * w.heldNow) / w.openEpisodes)])).toEqual(
      expect.arrayContaining([[6, 1, 0, true], [20, 1, 1, true], [0, 1, 1, true]]),
    );
    expect((await manager('GET', `/api/v1/reports/activity?linkWorker=${workers[0]!.userId}`)).json<ActivityReport>().holding.byLinkWorker).toEqual([workers[0]]);
    expect(report.discretions.reasons).toEqual([expect.objectContaining({ kind: 'longer_contact', reason: 'Went through an urgent letter about rent arrears together.', recordedOn: todayInLondon() })]);
    expect((await manager('GET', '/api/v1/reports/activity?to=2026-13-01')).json()).toMatchObject({ fields: { to: expect.stringContaining('real date') } });
    const commissioner = await apiClientFor(t, 'commissioner');
    const suppressed = (await commissioner('GET', '/api/v1/reports/activity')).json<ActivityReport>();
    expect(suppressed.scope.suppress).toBe(true);
    expect(suppressed.holding).toMatchObject({ periods: '<5', byLinkWorker: [] });
    expect(suppressed.discretions).toMatchObject({ total: '<5', reasons: [], byLinkWorker: [] });
    expect((await (await apiClientFor(t, 'link_worker'))('GET', '/api/v1/reports/activity')).statusCode).toBe(403);
  });
});
