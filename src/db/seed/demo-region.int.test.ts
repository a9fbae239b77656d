import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../platform/audit/audit-service.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { NotEmptyError, seedDemoRegion } from './demo-region.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('the demo region', () => {
  it('seeds organisations, one account per role, and people at every stage through the real use-cases', async () => {
    const accounts = await seedDemoRegion(t.database.db, { casework: true });
    expect(new Set(accounts.map((a) => a.role)).size).toBe(7);
    const practices = await t.database.db.selectFrom('organisation').select(['name', 'postcode']).where('kind', '=', 'gp_practice').execute();
    expect(practices).toHaveLength(4);
    expect(practices.every((p) => /^DN1[5-7] \d[A-Z]{2}$/.test(p.postcode ?? ''))).toBe(true);
    const referrals = await t.database.db.selectFrom('referral').select('status').execute();
    expect(referrals.filter((r) => r.status === 'waiting')).toHaveLength(3);
    const statuses = (await t.database.db.selectFrom('episode').select('status').execute()).map((e) => e.status).sort();
    expect(statuses).toEqual(['active', 'active', 'awaiting_first_contact', 'closed', 'holding']);
    expect((await verifyAuditChain(t.database.db)).problems).toEqual([]);
    // Every episode's history starts with its opening, whatever the hour the demo is seeded.
    const actions = await t.database.db.selectFrom('episode_action').select(['episode_id', 'kind', 'occurred_at']).orderBy('occurred_at').orderBy('id').execute();
    const firstKinds = new Map<string, string>();
    for (const action of actions) if (!firstKinds.has(action.episode_id)) firstKinds.set(action.episode_id, action.kind);
    expect([...firstKinds.values()]).toEqual(['opened', 'opened', 'opened', 'opened', 'opened']);
  });

  it('never seeds a database that already has data', async () => {
    await expect(seedDemoRegion(t.database.db)).rejects.toThrow(NotEmptyError);
  });
});
