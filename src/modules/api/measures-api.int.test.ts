import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor, createTestApp, TestBrowser, type TestContext } from '../../testing/test-app.js';
import { demoEpisode } from '../../testing/demo-episode.js';
import { todayInLondon } from '../../shared/dates.js';

/** Measures through the API. */

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
});
afterAll(() => t.close());

describe('measures through the API', () => {
  it('records, scores, links and reports', async () => {
    const episode = await demoEpisode(t.database.db, (q) => q.where('e.status', '=', 'active').orderBy('e.opened_at'));
    const worker = await apiClientFor(t, 'link_worker', episode.linkWorkerIndex);
    const today = todayInLondon();
    const answers = { optimistic: 3, useful: 3, relaxed: 3, problems: 3, clearly: 3, close: 3, mind: 3 };
    const saved = await worker('POST', `/api/v1/episodes/${episode.id}/measures`, { instrument: 'swemwbs', timepoint: 'baseline', completedOn: today, answers });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({ status: 'scored' });
    const offScale = await worker('POST', `/api/v1/episodes/${episode.id}/measures`, { instrument: 'swemwbs', timepoint: 'discharge', completedOn: today, answers: { ...answers, mind: 9 } });
    expect(offScale.json()).toMatchObject({ status: 'invalid' });
    const list = await worker('GET', `/api/v1/episodes/${episode.id}/measures`);
    expect(list.json()).toMatchObject({ measures: [{ instrument: 'swemwbs', points: [{ score: 19.25 }, { status: 'invalid', flags: ['mind: 9 is not one of the answers'] }] }] });
    const baseline = list.json<{ measures: { points: Record<string, unknown>[] }[] }>().measures[0]!.points[0]!;
    expect(Object.keys(baseline).sort()).toEqual(['category', 'completedOn', 'flags', 'id', 'items', 'score', 'status', 'timepoint']);
    expect(baseline).toMatchObject({ completedOn: today, items: { optimistic: { value: 3 } } });
    const link = await worker('POST', `/api/v1/episodes/${episode.id}/measure-links`, { timepoint: 'discharge', instruments: ['swemwbs'], days: 7 });
    expect(link.statusCode).toBe(201);
    const { url } = link.json<{ url: string }>();
    const page = await new TestBrowser(t.app).get(new URL(url).pathname);
    expect(page.statusCode).toBe(200);
    const manager = await apiClientFor(t, 'service_manager');
    const report = await manager('GET', '/api/v1/reports/outcomes');
    // The off-scale discharge form counts as measured again (it was answered), though it has no score.
    expect(report.json()).toMatchObject({ funnel: { baseline: 1, followUp: 1 }, caveats: expect.any(Array) });
    expect((await manager('GET', '/api/v1/reports/outcomes?from=nope')).statusCode).toBe(422);
    expect((await worker('GET', '/api/v1/reports/outcomes')).statusCode).toBe(403);
    // A commissioner may ask for one of the services they commission, and no other.
    const commissioner = await apiClientFor(t, 'commissioner');
    const service = await t.database.db.selectFrom('episode').select('service_id').where('id', '=', episode.id).executeTakeFirstOrThrow();
    expect((await commissioner('GET', `/api/v1/reports/outcomes?service=${service.service_id}`)).json()).toMatchObject({ scope: { serviceIds: [service.service_id], suppress: true } });
    const elsewhere = await commissioner('GET', `/api/v1/reports/outcomes?service=${episode.id}`);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json()).toMatchObject({ fields: { service: 'Select a service from the list' } });
  });
});
