import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientFor, createTestApp, type TestContext } from '../../testing/test-app.js';
import { demoEpisode } from '../../testing/demo-episode.js';

/** The closed loop through the API. */

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
});
afterAll(() => t.close());

describe('connections through the API', () => {
  it('a link worker refers, the provider answers, and both see it', async () => {
    const episode = await demoEpisode(t.database.db, (q) => q.where('e.status', '<>', 'closed').orderBy('e.opened_at'));
    const worker = await apiClientFor(t, 'link_worker', episode.linkWorkerIndex);
    const money = await t.database.db.selectFrom('directory_service').select('id').where('name', '=', 'Money and debt advice').executeTakeFirstOrThrow();
    const bad = await worker('POST', `/api/v1/episodes/${episode.id}/connections`, { directoryServiceId: money.id, kind: 'referral', reason: '' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<{ fields: Record<string, string> }>().fields).toEqual({ reason: 'Say why you are connecting them to this service' });
    // The schema's limits, in plain words naming the field.
    const long = await worker('POST', `/api/v1/episodes/${episode.id}/connections`, { directoryServiceId: money.id, kind: 'referral', reason: 'r'.repeat(1001), sharedNote: 'n'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ fields: Record<string, string> }>().fields).toEqual({
      reason: 'reason must be 1,000 characters or fewer',
      sharedNote: 'sharedNote must be 2,000 characters or fewer',
    });
    const wrongKind = await worker('POST', `/api/v1/episodes/${episode.id}/connections`, { directoryServiceId: 'money', kind: 'letter', reason: 'Rent arrears' });
    expect(wrongKind.json<{ fields: Record<string, string> }>().fields).toEqual({
      directoryServiceId: 'directoryServiceId must be an id (a UUID)',
      kind: 'kind must be one of: signpost, referral, introduction',
    });
    const made = await worker('POST', `/api/v1/episodes/${episode.id}/connections`, { directoryServiceId: money.id, kind: 'referral', reason: 'Rent arrears' });
    expect(made.statusCode).toBe(201);
    const { id } = made.json<{ id: string }>();

    const provider = await apiClientFor(t, 'provider', 2); // the money advice centre
    const inbox = await provider('GET', '/api/v1/provider/referrals');
    expect(inbox.json<{ referrals: { id: string; person: string | null }[] }>().referrals).toEqual([expect.objectContaining({ id, person: null })]);
    const noReason = await provider('POST', `/api/v1/provider/referrals/${id}/actions`, { action: 'declined', version: 1 });
    expect(noReason.statusCode).toBe(422);
    const accepted = await provider('POST', `/api/v1/provider/referrals/${id}/actions`, { action: 'accepted', version: 1 });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', person: null, reason: 'Rent arrears' });
    const stale = await provider('POST', `/api/v1/provider/referrals/${id}/actions`, { action: 'message', version: 1, note: 'Hello' });
    expect(stale.statusCode).toBe(409);

    const seen = await worker('GET', `/api/v1/connections/${id}`);
    expect(seen.json()).toMatchObject({ status: 'accepted', history: [{ kind: 'suggested' }, { kind: 'referred' }, { kind: 'accepted', side: 'provider' }] });
    const thanks = await worker('POST', `/api/v1/connections/${id}/actions`, { action: 'message', version: seen.json<{ version: number }>().version, note: 'Thank you' });
    expect(thanks.statusCode).toBe(200);
    expect(Object.keys(thanks.json()).sort()).toEqual(['episodeId', 'expiresAt', 'history', 'id', 'kind', 'next', 'reason', 'service', 'serviceAnswers', 'shareContact', 'sharedNote', 'status', 'statusLabel', 'version']);
    expect(thanks.json()).toMatchObject({ statusLabel: 'Accepted', service: { name: 'Money and debt advice' }, serviceAnswers: { referred: 1, answered: 1 } });
    const listed = await worker('GET', `/api/v1/episodes/${episode.id}/connections`);
    expect(listed.json<{ connections: unknown[] }>().connections).toContainEqual({ id, kind: 'referral', status: 'accepted', service: 'Money and debt advice', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), unread: false });
    // The provider's view carries only what the person agreed to share: its fields are exactly the documented ones.
    const asProvider = await provider('GET', `/api/v1/provider/referrals/${id}`);
    expect(Object.keys(asProvider.json()).sort()).toEqual(['actions', 'expiresAt', 'id', 'next', 'person', 'reason', 'referredAt', 'referringService', 'serviceName', 'sharedNote', 'status', 'version']);
    expect(asProvider.json<{ actions: { kind: string; side: string; occurredAt: string }[] }>().actions.at(-1)).toMatchObject({ kind: 'message', side: 'link_worker', occurredAt: expect.stringMatching(/Z$/) });
    const choir = await apiClientFor(t, 'provider', 0);
    expect((await choir('GET', `/api/v1/provider/referrals/${id}`)).statusCode).toBe(404);
  });

  it('records a gap by hand and lists the register for the manager', async () => {
    const worker = await apiClientFor(t, 'link_worker');
    expect((await worker('POST', '/api/v1/gaps', { need: 'legal', area: 'DN16', note: 'Immigration advice in person' })).statusCode).toBe(201);
    const manager = await apiClientFor(t, 'service_manager');
    const register = await manager('GET', '/api/v1/gaps');
    expect(register.json<{ gaps: { needDomain: string; area: string; people: number }[] }>().gaps).toEqual([expect.objectContaining({ needDomain: 'legal', area: 'DN16', people: 1 })]);
    expect((await worker('GET', '/api/v1/gaps')).statusCode).toBe(403);
  });
});
