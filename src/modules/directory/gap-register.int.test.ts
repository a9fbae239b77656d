import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';
import { demoEpisode } from '../../testing/demo-episode.js';

/** Gaps from the directory, from holding and by hand; the manager's register; met gaps; suppressed exports. */

let t: TestContext;
let linkWorker: TestBrowser;
let manager: TestBrowser;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  linkWorker = await signedInAs(t.app, 'link_worker');
  manager = await signedInAs(t.app, 'service_manager');
});
afterAll(() => t.close());

describe('the provision gaps register', () => {
  it('counts gaps by need and area from every source', async () => {
    await linkWorker.get('/directory/no-suitable-service?need=bereavement&q=bereavement');
    for (const area of ['DN15 7QG', 'DN15 6ER', 'DN16 2EE']) {
      expect((await linkWorker.post('/directory/no-suitable-service', { need: 'bereavement', area, note: 'A bereavement group that meets in the evening' })).statusCode).toBe(201);
    }
    // Holding someone for want of provision records a gap in their area for their first need.
    const episode = await demoEpisode(t.database.db, (q) => q.where('e.status', '=', 'active'));
    const { TestBrowser } = await import('../../testing/test-app.js');
    const worker = new TestBrowser(t.app);
    await worker.signIn(episode.email);
    await worker.get(`/episodes/${episode.id}`);
    expect((await worker.post(`/episodes/${episode.id}/holding/start`, { holdingReason: 'no_provision', note: 'Nothing nearby on weekday mornings', version: String(episode.version) })).statusCode).toBe(302);
    const page = squash((await manager.get('/gaps')).body);
    expect(page).toContain('Bereavement, DN15');
    expect(page).toContain('2 people affected (2 recorded)');
    expect(page).toContain('Bereavement, DN16');
    expect(page).toContain('Nothing nearby on weekday mornings');
    const gaps = await t.database.db.selectFrom('provision_gap').select(['source', 'outward_code', 'need_domain']).where('source', '=', 'holding').execute();
    expect(gaps).toEqual([{ source: 'holding', outward_code: episode.postcode!.split(' ')[0], need_domain: episode.need_domains[0] }]);
  });

  it('lets the manager mark a gap met by a new service, and refuses without one', async () => {
    const noService = await manager.post('/gaps/met', { need: 'bereavement', area: 'DN15', directoryServiceId: '' });
    expect(errorSummary(noService.body)).toEqual(['#directoryServiceId: Select the service that now meets this need']);
    const cafe = await t.database.db.selectFrom('directory_service').select('id').where('name', '=', 'Bereavement café').executeTakeFirstOrThrow();
    await t.database.db.updateTable('directory_service').set({ status: 'active' }).where('id', '=', cafe.id).execute();
    const choose = squash((await manager.get('/gaps/met?need=bereavement&area=DN15')).body);
    expect(choose).toContain('Bereavement café');
    expect(choose).toMatch(/Frodingham Bereavement Café · \d+(\.\d)? miles/);
    const met = await manager.post('/gaps/met', { need: 'bereavement', area: 'DN15', directoryServiceId: cafe.id });
    expect(met.headers.location).toBe('/gaps?met=2');
    const page = squash((await manager.get('/gaps')).body);
    expect(page).not.toContain('Bereavement, DN15');
    expect(page).toContain('Bereavement, DN16');
  });

  it('exports CSV: the service in full, commissioners with small counts suppressed and no notes', async () => {
    const full = await manager.get('/gaps.csv');
    expect(full.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(full.body).toContain('Bereavement,DN16,1,1,');
    expect(full.body).toContain('A bereavement group that meets in the evening');
    const commissioner = await signedInAs(t.app, 'commissioner');
    const suppressed = await commissioner.get('/gaps.csv');
    expect(suppressed.statusCode).toBe(200);
    expect(suppressed.body).toContain('Bereavement,DN16,<5,<5,');
    expect(suppressed.body).not.toContain('evening');
    expect((await linkWorker.get('/gaps')).statusCode).toBe(403);
  });
});
