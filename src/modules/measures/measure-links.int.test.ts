import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, squash, TestBrowser, type TestContext } from '../../testing/test-app.js';
import { demoEpisode } from '../../testing/demo-episode.js';

/** A person answers on their own device through a single-use link, without an account. */

let t: TestContext;
let worker: TestBrowser;
let episodeId: string;
let person: { given_name: string; family_name: string };

const swemwbs = Object.fromEntries(['optimistic', 'useful', 'relaxed', 'problems', 'clearly', 'close', 'mind'].map((id) => [`swemwbs_${id}`, '4']));

async function makeLink(form: Record<string, string | string[]>) {
  await worker.get(`/episodes/${episodeId}/measure-links/new`);
  const response = await worker.post(`/episodes/${episodeId}/measure-links`, form);
  return { response, token: /\/q\/([A-Za-z0-9_-]+)/.exec(response.body)?.[1] };
}

beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  const episode = await demoEpisode(t.database.db, (q) => q.where('e.status', '=', 'active'));
  episodeId = episode.id;
  person = episode;
  worker = new TestBrowser(t.app);
  await worker.signIn(episode.email);
});
afterAll(() => t.close());

describe('questionnaire links', () => {
  it('refuses a link that asks nothing, or the benefits question at baseline', async () => {
    const { response } = await makeLink({ timepoint: 'baseline', benefits: 'yes', days: '90' });
    expect(errorSummary(response.body)).toEqual([
      '#benefits: The benefits question is asked at discharge and follow-up',
      '#days: The link can last from 1 to 60 days',
    ]);
  });

  it('shows only the first name, takes the answers once, and puts them on the episode', async () => {
    const { response, token } = await makeLink({ timepoint: 'discharge', instruments: ['swemwbs', 'ons4'], benefits: 'yes', days: '14' });
    expect(response.statusCode).toBe(201);
    const anonymous = new TestBrowser(t.app);
    const page = await anonymous.get(`/q/${token}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const text = squash(page.body);
    expect(text).toContain(`Hello ${person.given_name}`);
    expect(text).not.toContain(person.family_name);
    expect(text).toContain('I’ve been feeling useful');
    expect(text).toContain('Feeling valued and not alone');
    // Sent with nothing answered: taken for a slip, nothing saved, and the link still works.
    const responses = async () => (await t.database.db.selectFrom('measure_response').select('id').where('episode_id', '=', episodeId).execute()).length;
    const before = await responses();
    const empty = await anonymous.post(`/q/${token}`, {});
    expect(empty.statusCode).toBe(422);
    expect(errorSummary(empty.body)).toEqual(['#swemwbs_optimistic: You have not answered any of the questions. Answer the ones you want to, then send your answers']);
    expect(squash(empty.body)).toContain('id="swemwbs_optimistic"');
    expect(await responses()).toBe(before);
    const sent = await anonymous.post(`/q/${token}`, { ...swemwbs, ons4_happy: '8', described: ['hope', 'valued_not_alone'], ownWords: 'I have somewhere to go on Tuesdays.' });
    expect(sent.statusCode).toBe(200);
    expect(squash(sent.body)).toContain('Your answers have been sent to your link worker.');
    const again = await anonymous.post(`/q/${token}`, swemwbs);
    expect(again.statusCode).toBe(410);
    expect(squash(again.body)).toContain('This link has already been used');
    expect((await anonymous.get(`/q/${token}`)).statusCode).toBe(410);
    const episode = squash((await worker.get(`/episodes/${episodeId}`)).body);
    expect(episode).toContain('<strong>25.03</strong>');
    expect(episode).toContain('happy 8 (high)');
    expect(episode).toContain('Hope; Feeling valued and not alone. In their words: “I have somewhere to go on Tuesdays.”');
    const benefits = await t.database.db.selectFrom('benefit_response').select(['benefits', 'own_words', 'measure_link_id']).executeTakeFirstOrThrow();
    expect(benefits).toMatchObject({ benefits: ['hope', 'valued_not_alone'], own_words: 'I have somewhere to go on Tuesdays.' });
    expect(benefits.measure_link_id).not.toBeNull();
  });

  it('answers an expired link, a mistyped one, and one whose measure was switched off', async () => {
    const anonymous = new TestBrowser(t.app);
    const { token } = await makeLink({ timepoint: 'baseline', instruments: ['swemwbs'], days: '1' });
    await t.database.db.updateTable('measure_link').set({ expires_at: new Date(Date.now() - 1000) }).where('used_at', 'is', null).execute();
    const expired = await anonymous.get(`/q/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(squash(expired.body)).toContain('This link has expired');
    expect((await anonymous.get(`/q/${token!.slice(0, -2)}xx`)).statusCode).toBe(404);
    expect((await anonymous.get('/q/short')).statusCode).toBe(404);
    const { token: another } = await makeLink({ timepoint: 'baseline', instruments: ['swemwbs'], days: '5' });
    const service = await t.database.db.selectFrom('episode').select('service_id').where('id', '=', episodeId).executeTakeFirstOrThrow();
    await t.database.db.insertInto('measure_setting').values({ service_id: service.service_id, instrument_code: 'swemwbs', timepoints: ['baseline'], enabled: false }).execute();
    const off = await anonymous.get(`/q/${another}`);
    expect(off.statusCode).toBe(410);
    expect(squash(off.body)).toContain('no longer used');
  });
});
