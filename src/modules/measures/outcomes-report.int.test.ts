import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';
import { recordMeasure } from './measure-service.js';
import { pairedSummary } from './statistics.js';
import { todayInLondon } from '../../shared/dates.js';

/** The outcomes report: funnel, statistics, band movement, benefits, GP appointments, caveats, suppression. */

let t: TestContext;
const before = [17.43, 19.25, 15.84, 21.54, 18.59];
const after = [21.54, 20.73, 17.98, 23.21, 19.25];
const raw: Record<number, number> = { 17.43: 18, 19.25: 21, 15.84: 15, 21.54: 24, 18.59: 20, 20.73: 23, 17.98: 19, 23.21: 26 };
const answersFor = (metric: number) => {
  const values = Array(7).fill(1) as number[];
  let left = raw[metric]! - 7;
  for (let i = 0; i < 7 && left > 0; i++) {
    const add = Math.min(4, left);
    values[i] = values[i]! + add;
    left -= add;
  }
  return Object.fromEntries(['optimistic', 'useful', 'relaxed', 'problems', 'clearly', 'close', 'mind'].map((id, i) => [id, values[i]!]));
};

beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  const episodes = await t.database.db.selectFrom('episode').select(['id', 'service_id', 'person_id']).orderBy('opened_at').limit(5).execute();
  const ctx = { db: t.database.db, actor: null, requestId: 'test' };
  const today = todayInLondon();
  for (const [i, episode] of episodes.entries()) {
    await recordMeasure(ctx, episode, { instrument: 'swemwbs', timepoint: 'baseline', completedOn: today, answers: answersFor(before[i]!) });
    await recordMeasure(ctx, episode, { instrument: 'swemwbs', timepoint: 'discharge', completedOn: today, answers: answersFor(after[i]!) });
  }
  await recordMeasure(ctx, episodes[0]!, { instrument: 'ons4', timepoint: 'baseline', completedOn: today, answers: { satisfied: 3, anxious: 7 } });
  await recordMeasure(ctx, episodes[0]!, { instrument: 'ons4', timepoint: 'discharge', completedOn: today, answers: { satisfied: 7, anxious: 2 } });
  for (const [i, episode] of episodes.slice(0, 2).entries()) {
    await t.database.db.insertInto('gp_appointments').values([
      { service_id: episode.service_id, episode_id: episode.id, period: 'before', window_months: 6, appointments: 6 + i, source: 'entered' },
      { service_id: episode.service_id, episode_id: episode.id, period: 'after', window_months: 6, appointments: 4 + i, source: 'entered' },
    ]).execute();
  }
  await t.database.db.insertInto('benefit_response').values({ service_id: episodes[0]!.service_id, episode_id: episodes[0]!.id, person_id: episodes[0]!.person_id, timepoint: 'discharge', benefits: ['hope'], own_words: 'I feel less alone.', completed_on: today }).execute();
}, 60_000);
afterAll(() => t.close());

describe('the outcomes report', () => {
  it('shows the funnel, the statistics as computed, the ONS4 bands, benefits and the caveats', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const page = squash((await manager.get('/reports/outcomes')).body);
    expect(page).toContain('Read with care');
    expect(page).toContain('regression to the mean');
    expect(page).toContain('Fewer GP appointments is not on its own a sign of success');
    expect(page).toMatch(/Referred<\/th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">8</);
    expect(page).toMatch(/Measured again at discharge or follow-up<\/th><td class="nhsuk-table__cell nhsuk-table__cell--numeric">5</);
    const expected = pairedSummary(before.map((b, i) => ({ before: b, after: after[i]! })));
    if ('notEnough' in expected) throw new Error('expected a summary');
    expect(page).toContain(`n = 5 pairs. Before ${expected.before.mean}`);
    expect(page).toContain(`Paired t-test: t(4) = ${expected.tTest!.t}`);
    expect(page).toContain('Reliable change (3 points or more): 20% improved, 80% unchanged, 0% deteriorated.');
    expect(page).toContain('Hope: 1');
    expect(page).toContain('I feel less alone.');
    // ONS4: life satisfaction 3 (low) → 7 (high) is a better band; anxiety 7 (high) → 2 (low) is better too.
    expect(page).toMatch(/Overall, how satisfied are you with your life nowadays\?<\/td><td class="nhsuk-table__cell">1<\/td> <td class="nhsuk-table__cell">1<\/td>/);
    expect(page).toContain('<td class="nhsuk-table__cell">not enough data</td>');
  });

  it('suppresses small counts and people’s words for commissioners', async () => {
    const commissioner = await signedInAs(t.app, 'commissioner');
    const page = squash((await commissioner.get('/reports/outcomes')).body);
    expect(page).toContain('n = 5 pairs');
    expect(page).toContain('Hope: &lt;5');
    expect(page).not.toContain('I feel less alone.');
    expect(page).toContain('Not enough data (n = &lt;5).');
    const service = await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow();
    expect(squash((await commissioner.get(`/reports/outcomes?service=${service.id}`)).body)).toContain('n = 5 pairs');
    const other = await commissioner.get('/reports/outcomes?service=00000000-0000-4000-8000-000000000000');
    expect(errorSummary(other.body)).toEqual(['#service: Select a service from the list']);
    const csv = await commissioner.get('/reports/outcomes.csv');
    expect(csv.body).toContain('funnel,follow-up,5');
    expect(csv.body).toContain('benefit,Hope,<5');
    expect(csv.body).not.toContain('less alone');
  });

  it('says what to fix for a bad period, and "not enough data" for an empty one', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const bad = await manager.get('/reports/outcomes?from%5Bday%5D=31&from%5Bmonth%5D=2&from%5Byear%5D=2026&to%5Bday%5D=1&to%5Bmonth%5D=1&to%5Byear%5D=');
    expect(bad.statusCode).toBe(422);
    expect(errorSummary(bad.body)).toEqual(['#from-day: Start date must be a real date, like 27 3 2007', '#to-day: End date must include a year']);
    // What was typed stays in the boxes.
    expect(bad.body).toMatch(/id="from-day" name="from\[day\]" type="text" value="31"/);
    const reversed = await manager.get('/reports/outcomes?from=2026-04-01&to=2026-03-31');
    expect(errorSummary(reversed.body)).toEqual(['#to-day: The end date must be on or after the start date']);
    const empty = squash((await manager.get('/reports/outcomes?from%5Bday%5D=1&from%5Bmonth%5D=1&from%5Byear%5D=2020&to%5Bday%5D=31&to%5Bmonth%5D=12&to%5Byear%5D=2020')).body);
    expect(empty).toContain('value="2020"');
    expect(empty).toContain('Not enough data: no one in this period has a scored measure yet.');
    expect(empty).not.toContain('NaN');
    const linkWorker = await signedInAs(t.app, 'link_worker');
    expect((await linkWorker.get('/reports/outcomes')).statusCode).toBe(403);
  });
});
