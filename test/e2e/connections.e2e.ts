import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireReferrals } from '../../src/modules/connections/connection-service.js';
import { expectAccessible, newPage, signIn, startE2E, type E2E } from './browser.js';
import { demoEpisode } from '../../src/testing/demo-episode.js';

/**
 * The closed loop in the browser: a link worker refers to a provider's service → the provider accepts
 * and records attendance → the link worker sees it → the referrer sees the outcome; an unanswered
 * referral expires into a task; a "no suitable service" search appears in the gaps register.
 */

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ casework: true });
});
afterAll(() => e2e.close());

describe('connecting people to community support', () => {
  it('walks the closed loop', async () => {
    const db = e2e.t.database.db;
    const episode = await demoEpisode(db, (q) => q.where('p.postcode', '=', 'DN15 7QG'));
    await db.updateTable('person').set({ consent_share_providers: true }).where('id', '=', episode.person_id).execute();

    // The link worker finds the group near the person and refers them.
    const worker = await newPage(e2e);
    await signIn(worker, episode.email);
    await worker.goto(`/episodes/${episode.id}`);
    await worker.getByRole('link', { name: `Find community support near ${episode.given_name}` }).click();
    await worker.getByLabel('Search', { exact: true }).fill('singing');
    await worker.getByRole('button', { name: 'Search' }).click();
    await worker.getByRole('link', { name: 'Singing for Wellbeing' }).click();
    await worker.getByRole('button', { name: `Connect ${episode.given_name} to this service` }).click();
    await expectAccessible(worker, 'connection-new');
    await worker.getByRole('button', { name: 'Connect' }).click();
    expect(await worker.locator('.nhsuk-error-summary').innerText()).toContain('Select how you are connecting them');
    await expectAccessible(worker, 'connection-new-errors');
    await worker.getByLabel('Referral: sent to the provider through Anchorpoint').check();
    await worker.getByLabel('Why this service').fill('Loves singing and would like to meet people.');
    await worker.getByLabel(`Share ${episode.given_name}’s name and contact details with the provider`).check();
    await worker.getByRole('button', { name: 'Connect' }).click();
    expect(await worker.locator('main').innerText()).toContain('Referral sent to Ancholme Community Choir.');
    await expectAccessible(worker, 'connection');

    // The provider accepts and records attendance.
    const provider = await newPage(e2e);
    await signIn(provider, 'provider.choir@demo.anchorpoint.test');
    await provider.getByRole('link', { name: 'Referrals' }).first().click();
    await expectAccessible(provider, 'provider-referrals');
    await provider.locator('#referrals a').first().click();
    expect(await provider.locator('main').innerText()).toContain('Loves singing and would like to meet people.');
    await expectAccessible(provider, 'provider-referral');
    await provider.getByRole('button', { name: 'Accept the referral' }).click();
    await provider.getByRole('button', { name: 'Attended' }).click();
    expect(await provider.locator('#history').innerText()).toContain('Attended a session');

    // The link worker sees it.
    await worker.goto(`/episodes/${episode.id}`);
    const connections = await worker.locator('#connection-list').innerText();
    expect(connections).toContain('attending');
    expect(connections).toContain('New update');

    // The referrer sees the kind of support and how it is going.
    const referrerEmail = await db
      .selectFrom('membership as m')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select('u.email')
      .where('m.organisation_id', '=', episode.referring_organisation_id!)
      .where('m.role', '=', 'referrer')
      .executeTakeFirstOrThrow();
    const referrer = await newPage(e2e);
    await signIn(referrer, referrerEmail.email);
    await referrer.goto(`/referrals/${episode.referral_id}`);
    expect(await referrer.locator('#connections').innerText()).toContain('Singing for Wellbeing');
    await expectAccessible(referrer, 'referral-with-connections');
  });

  it('an unanswered referral expires into a task, and a gap appears in the register', async () => {
    const db = e2e.t.database.db;
    const episode = await demoEpisode(db, (q) => q.where('e.status', '<>', 'closed').orderBy('e.opened_at'));
    const worker = await newPage(e2e);
    await signIn(worker, episode.email);
    const shed = await db.selectFrom('directory_service').select('id').where('name', '=', 'Money and debt advice').executeTakeFirstOrThrow();
    await worker.goto(`/episodes/${episode.id}/connections/new?service=${shed.id}`);
    await worker.getByLabel('Referral: sent to the provider through Anchorpoint').check();
    await worker.getByLabel('Why this service').fill('Rent arrears');
    await worker.getByRole('button', { name: 'Connect' }).click();
    expect(await expireReferrals(db, new Date(Date.now() + 15 * 86_400_000))).toBe(1);
    // The sweep ran "15 days later": the task is due then, and on the episode now.
    await worker.goto(`/episodes/${episode.id}`);
    expect(await worker.locator('main').innerText()).toContain('did not answer the referral');

    await worker.goto('/directory?q=welsh+choir');
    await worker.getByRole('link', { name: 'Record that there is no suitable service' }).click();
    await worker.getByLabel('Need').selectOption('arts');
    await worker.getByLabel('Area').fill('DN17');
    await worker.getByLabel('What was missing?').fill('A Welsh-language choir');
    await worker.getByRole('button', { name: 'Record the gap' }).click();
    const manager = await newPage(e2e);
    await signIn(manager, 'manager@demo.anchorpoint.test');
    await manager.getByRole('link', { name: 'Gaps' }).click();
    expect(await manager.locator('main').innerText()).toContain('A Welsh-language choir');
    await expectAccessible(manager, 'gaps-register');
    await manager.locator('a[href="/gaps/met?need=arts&area=DN17"]').click();
    await expectAccessible(manager, 'gap-met');
    await manager.getByLabel('Singing for Wellbeing').check();
    await manager.getByRole('button', { name: 'Mark as met' }).click();
    expect(await manager.locator('main').innerText()).toContain('1 gap marked as met.');
  });

  it('reported no browser problems', () => {
    expect(e2e.consoleProblems).toEqual([]);
  });
});
