import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, squash, TestBrowser, type TestContext } from '../../testing/test-app.js';
import { demoEpisode } from '../../testing/demo-episode.js';
import { todayInLondon } from '../../shared/dates.js';

/** A link worker records measures with the person; scored exactly, shown over time with the change. */

let t: TestContext;
let worker: TestBrowser;
let episodeId: string;

const swemwbs = (values: number[]) => Object.fromEntries(['optimistic', 'useful', 'relaxed', 'problems', 'clearly', 'close', 'mind'].map((id, i) => [`swemwbs_${id}`, String(values[i])]));
const dated = (iso: string) => ({ 'completedOn[day]': String(Number(iso.slice(8, 10))), 'completedOn[month]': String(Number(iso.slice(5, 7))), 'completedOn[year]': iso.slice(0, 4) });
const daysAgo = (n: number) => todayInLondon(new Date(Date.now() - n * 86_400_000));

beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  const episode = await demoEpisode(t.database.db, (q) => q.where('e.status', '=', 'active'));
  episodeId = episode.id;
  worker = new TestBrowser(t.app);
  await worker.signIn(episode.email);
});
afterAll(() => t.close());

describe('the service chooses its measures', () => {
  it('lists every instrument with its licence, keeps WEMWBS off, and saves the choice', async () => {
    const manager = new TestBrowser(t.app);
    await manager.signIn('manager@demo.anchorpoint.test');
    const page = squash((await manager.get('/service/measures')).body);
    expect(page).toContain('The 14 items must be entered word for word from the official form');
    const refused = await manager.post('/service/measures', { timepoints_wemwbs: 'baseline' });
    expect(errorSummary(refused.body)).toEqual(['#timepoints_wemwbs: The 14 items must be entered word for word from the official form before WEMWBS can be used.']);
    const saved = await manager.post('/service/measures', { timepoints_swemwbs: ['baseline', 'discharge', 'follow_up'], timepoints_ons4: ['baseline', 'discharge'], timepoints_ucla3: ['baseline', 'discharge'] });
    expect(saved.headers.location).toBe('/service/measures?saved=1');
  });
});

describe('recording measures', () => {
  it('offers the service’s measures and shows each instrument’s wording and copyright', async () => {
    const choose = squash((await worker.get(`/episodes/${episodeId}/measures/new`)).body);
    expect(choose).toContain('Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)');
    expect(choose).not.toContain('WEMWBS)</a>'.replace('W', 'XW'));
    const form = squash((await worker.get(`/episodes/${episodeId}/measures/new?instrument=swemwbs`)).body);
    expect(form).toContain('I’ve been feeling optimistic about the future');
    expect(form).toContain('© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008');
  });

  it('scores SWEMWBS through the metric table, and shows the change over time', async () => {
    const baseline = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', timepoint: 'baseline', ...dated(daysAgo(60)), ...swemwbs([2, 3, 2, 3, 2, 3, 3]) });
    expect(baseline.statusCode).toBe(302);
    await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', timepoint: 'discharge', ...dated(daysAgo(1)), ...swemwbs([3, 4, 3, 4, 3, 4, 3]) });
    const page = squash((await worker.get(`/episodes/${episodeId}`)).body);
    // Raw 18 → 17.43; raw 24 → 21.54; +4.11 is reliable change (3 or more).
    expect(page).toContain('<strong>17.43</strong>');
    expect(page).toContain('<strong>21.54</strong>');
    expect(page).toContain('From 17.43 to 21.54 (+4.11): a reliable improvement.');
    expect(page).toContain('<svg');
    expect(page).toContain('<title id="chart-swemwbs-title">SWEMWBS over time</title>');
  });

  it('keeps an incomplete form but does not score it; reports ONS4 item by item', async () => {
    const partial = { ...swemwbs([3, 3, 3, 3, 3, 3, 3]), swemwbs_mind: '' };
    const saved = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', timepoint: 'discharge', ...dated(daysAgo(0)), ...partial });
    expect(saved.headers.location).toContain('measured=incomplete');
    await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'ons4', timepoint: 'baseline', ...dated(daysAgo(30)), ons4_satisfied: '4', ons4_worthwhile: '6', ons4_happy: '7', ons4_anxious: '8' });
    const page = squash((await worker.get(`/episodes/${episodeId}`)).body);
    expect(page).toContain('Not scored: 1 of 7 questions unanswered');
    expect(page).toContain('satisfied 4 (low); worthwhile 6 (medium); happy 7 (high); anxious 8 (high)');
    const stored = await t.database.db.selectFrom('measure_response').select(['answers', 'status', 'score']).where('status', '=', 'incomplete').executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ status: 'incomplete', score: null, answers: { optimistic: 3, clearly: 3 } });
  });

  it('refuses a follow-up dated before the baseline, a future date, and a measure the service does not use', async () => {
    const early = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', timepoint: 'follow_up', ...dated(daysAgo(90)), ...swemwbs([3, 3, 3, 3, 3, 3, 3]) });
    expect(errorSummary(early.body)).toEqual([`#completedOn-day: This is before the baseline (${daysAgo(60)}): check the date`]);
    const future = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', timepoint: 'follow_up', ...dated(todayInLondon(new Date(Date.now() + 3 * 86_400_000))), ...swemwbs([3, 3, 3, 3, 3, 3, 3]) });
    expect(errorSummary(future.body)).toEqual(['#completedOn-day: The date it was completed must be today or in the past']);
    const other = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'gse', timepoint: 'baseline', ...dated(daysAgo(1)) });
    const notAtReview = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'ucla3', timepoint: 'review', ...dated(daysAgo(1)) });
    expect(errorSummary(notAtReview.body)).toEqual(['#timepoint: The service uses UCLA 3 at baseline, discharge']);
    expect(errorSummary(other.body)).toEqual(['#instrument: This service does not use that measure now: choose one from the list']);
    const wemwbs = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'wemwbs', timepoint: 'baseline', ...dated(daysAgo(1)) });
    expect(wemwbs.statusCode).toBe(422);
    const audit = await t.database.db.selectFrom('audit_event').select('action').where('action', '=', 'measure.record').execute();
    expect(audit).toHaveLength(4);
  });

  it('asks for the timepoint when none is chosen, and shows GP appointments on the record', async () => {
    const none = await worker.post(`/episodes/${episodeId}/measures`, { instrument: 'swemwbs', ...dated(daysAgo(1)), ...swemwbs([3, 3, 3, 3, 3, 3, 3]) });
    expect(errorSummary(none.body)).toEqual(['#timepoint: Select when in their support this is']);
    await worker.get(`/episodes/${episodeId}/gp-appointments`);
    const bad = await worker.post(`/episodes/${episodeId}/gp-appointments`, { windowMonths: '6', before: '', after: '' });
    expect(errorSummary(bad.body)).toEqual(['#before: Enter the number of appointments before, after, or both']);
    expect((await worker.post(`/episodes/${episodeId}/gp-appointments`, { windowMonths: '6', before: '7', after: '4' })).statusCode).toBe(302);
    expect(squash((await worker.get(`/episodes/${episodeId}`)).body)).toContain('GP appointments: 7 in the 6 months before the referral; 4 in the 6 months after.');
    await worker.get(`/episodes/${episodeId}/benefits/new`);
    const blank = await worker.post(`/episodes/${episodeId}/benefits`, {});
    expect(errorSummary(blank.body)).toEqual(['#timepoint: Select whether this is at discharge or follow-up', '#described: Select what they said it gave them, or write it in their words']);
  });
});
