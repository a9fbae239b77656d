import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor, createTestApp, demoEmail, type TestContext } from '../../testing/test-app.js';
import { londonParts } from '../../shared/london-time.js';
import { earlierToday } from '../../testing/earlier-today.js';

/** The same path as the pages, through the JSON API with bearer tokens. */

let t: TestContext;
type Call = Awaited<ReturnType<typeof apiClientFor>>;
let referrer: Call;
let manager: Call;
let linkWorker: Call;

beforeAll(async () => {
  t = await createTestApp();
  referrer = await apiClientFor(t, 'referrer');
  manager = await apiClientFor(t, 'service_manager');
  linkWorker = await apiClientFor(t, 'link_worker');
});
afterAll(() => t.close());

const referral = {
  idempotencyKey: 'api-referral-0001',
  nhsNumber: '9434765919',
  givenName: 'Robin',
  familyName: 'Api',
  dateOfBirth: '1970-05-01',
  needDomains: ['housing'],
  helpWanted: 'Worried about losing my flat.',
  urgency: 'urgent',
  personAgreed: true,
};

describe('the JSON API, from referral to outcome', () => {
  let referralId: string;
  let episodeId: string;

  it('refers, with field errors for bad input and one referral for a repeated key', async () => {
    const bad = await referrer('POST', '/api/v1/referrals', { ...referral, nhsNumber: '1234567890', personAgreed: false, dateOfBirth: '2999-01-01' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      error: 'There is a problem with what was sent. Check the fields listed and try again.',
      fields: {
        nhsNumber: 'This is not a valid NHS number. Check it and try again',
        dateOfBirth: 'Date of birth must be today or in the past',
        personAgreed: 'Confirm the person has agreed to be referred. Do not refer someone who has not agreed',
      },
    });
    const wrongShape = await referrer('POST', '/api/v1/referrals', { ...referral, needDomains: ['astrology'] });
    expect(wrongShape.statusCode).toBe(400);
    const created = await referrer('POST', '/api/v1/referrals', referral);
    expect(created.statusCode).toBe(201);
    const repeat = await referrer('POST', '/api/v1/referrals', referral);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toEqual({ ...created.json<object>(), repeated: true });
    referralId = created.json<{ id: string }>().id;
  });

  it('triages: the manager sees it waiting and accepts it', async () => {
    const waiting = await manager('GET', '/api/v1/triage');
    expect(waiting.json<{ referrals: { id: string; urgency: string }[] }>().referrals).toEqual([expect.objectContaining({ id: referralId, urgency: 'urgent' })]);
    const one = await manager('GET', `/api/v1/triage/${referralId}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({
      id: referralId,
      status: 'waiting',
      source: 'practice',
      urgency: 'urgent',
      helpWanted: 'Worried about losing my flat.',
      person: { givenName: 'Robin', familyName: 'Api', dateOfBirth: '1970-05-01', nhsNumber: '9434765919', registeredPractice: expect.any(String), phone: null },
      referrer: { organisation: expect.any(String) },
      possibleDuplicates: [],
    });
    const audited = await t.database.db.selectFrom('audit_event').select('action').where('request_id', '=', String(one.headers['x-request-id'] ?? '')).execute();
    expect(audited.map((a) => a.action)).toContain('referral.read');
    expect((await manager('GET', '/api/v1/triage/not-an-id')).statusCode).toBe(404);
    expect((await referrer('GET', `/api/v1/triage/${referralId}`)).statusCode).toBe(403);
    const linkWorkerId = (await t.database.db.selectFrom('app_user').select('id').where('email', '=', demoEmail('link_worker')).executeTakeFirstOrThrow()).id;
    const accepted = await manager('POST', `/api/v1/triage/${referralId}`, { decision: 'accept', linkWorkerUserId: linkWorkerId });
    expect(accepted.statusCode).toBe(200);
    episodeId = accepted.json<{ episodeId: string }>().episodeId;
    const again = await manager('POST', `/api/v1/triage/${referralId}`, { decision: 'decline', reason: 'no' });
    expect(again.statusCode).toBe(409);
  });

  it('records a contact, a goal and a holding period, then closes', async () => {
    const { date, time } = londonParts(earlierToday(60));
    const contact = await linkWorker('POST', `/api/v1/episodes/${episodeId}/contacts`, { date, time, mode: 'home_visit', status: 'attended', contactType: 'assessment', durationMinutes: 50 });
    expect(contact.statusCode).toBe(201);
    const goal = await linkWorker('POST', `/api/v1/episodes/${episodeId}/goals`, { goal: 'Keep my flat', readiness: 'ready_now' });
    expect(goal.json<{ goals: unknown[] }>().goals).toHaveLength(1);
    const held = await linkWorker('POST', `/api/v1/episodes/${episodeId}/holding`, { holdingReason: 'bearing_witness' });
    expect(held.json()).toMatchObject({ status: 'holding', holding: { reason: 'bearing_witness' } });
    const stale = await linkWorker('POST', `/api/v1/episodes/${episodeId}/holding/end`, { version: 1 });
    expect(stale.statusCode).toBe(409);
    const ended = await linkWorker('POST', `/api/v1/episodes/${episodeId}/holding/end`, { version: held.json<{ version: number }>().version });
    expect(ended.json()).toMatchObject({ status: 'active', holding: null });
    const closed = await linkWorker('POST', `/api/v1/episodes/${episodeId}/close`, { closeReason: 'goals_met', summary: 'Tenancy secured with help from the housing team.' });
    expect(closed.json()).toMatchObject({ status: 'closed', snomedCode: '871731000000106', nextActions: ['reopen'] });
  });

  it('the referrer sees the outcome and the SNOMED code', async () => {
    const status = await referrer('GET', `/api/v1/referrals/${referralId}`);
    expect(status.json()).toMatchObject({
      status: 'accepted',
      outcome: { summary: 'Tenancy secured with help from the housing team.', snomedCode: '871731000000106' },
    });
  });

  it('a provider’s token can do none of it', async () => {
    const provider = await apiClientFor(t, 'provider');
    expect((await provider('GET', `/api/v1/episodes/${episodeId}`)).statusCode).toBe(403);
    expect((await provider('POST', '/api/v1/referrals', referral)).statusCode).toBe(403);
    expect((await provider('GET', `/api/v1/referrals/${referralId}`)).statusCode).toBe(403);
  });
});
