import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoEmail, signedInAs, squash, type TestContext } from '../../testing/test-app.js';
import { verifyAuditChain, writeAudit, writeAuditAlone } from './audit-service.js';

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const userId = async (email: string) =>
  (await t.database.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

describe('the audit trail', () => {
  it('is written in the same transaction as the change, so a rolled-back change leaves no audit row', async () => {
    const before = await t.database.db.selectFrom('audit_event').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    await expect(
      t.database.db.transaction().execute(async (trx) => {
        await writeAudit(trx, { actor: null, action: 'test.rolled_back', serviceId: null });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const after = await t.database.db.selectFrom('audit_event').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('stays one unbroken chain when many requests write to it at once', async () => {
    const chain = (await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow()).id;
    const before = await t.database.db.selectFrom('audit_event').select(sql<number>`count(*)::int`.as('n')).where('chain', '=', chain).executeTakeFirstOrThrow();
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2
          ? writeAuditAlone(t.database.db, { actor: null, action: 'test.read', serviceId: chain, detail: { i } })
          : t.database.db.transaction().execute((trx) => writeAudit(trx, { actor: null, action: 'test.write', serviceId: chain, detail: { i } })),
      ),
    );
    const rows = await t.database.db.selectFrom('audit_event').select(['prev_hash', 'hash']).where('chain', '=', chain).orderBy('seq').execute();
    expect(rows.length).toBe(before.n + 24);
    rows.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? '0'.repeat(64) : rows[i - 1]!.hash));
    expect((await verifyAuditChain(t.database.db)).problems).toEqual([]);
  });

  it('cannot be changed or deleted by the app’s database role', async () => {
    await expect(sql`update audit_event set action = 'user.nothing'`.execute(t.database.db)).rejects.toThrow(/permission denied/);
    await expect(sql`delete from audit_event`.execute(t.database.db)).rejects.toThrow(/permission denied/);
    await expect(sql`truncate audit_event`.execute(t.database.db)).rejects.toThrow(/permission denied/);
    await expect(sql`alter table audit_event drop column hash`.execute(t.database.db)).rejects.toThrow(/must be owner|permission denied/);
  });

  it('refuses updates even from the owner, through its trigger', async () => {
    await expect(t.database.withOwner((run) => run(`update audit_event set action = 'user.nothing'`))).rejects.toThrow(/append-only/);
  });

  it('is hash-chained, so verification finds a row that was altered or removed behind the app’s back', async () => {
    const browser = await signedInAs(t.app, 'admin');
    const someone = await userId(demoEmail('referrer'));
    await browser.get(`/admin/users/${someone}`);
    await browser.get(`/admin/users/${someone}`); // each view is recorded, so the platform chain has rows after the one we alter
    const clean = await verifyAuditChain(t.database.db);
    expect(clean.problems).toEqual([]);
    expect(clean.events).toBeGreaterThan(1);

    // Someone with the owner's credentials disables the trigger and edits history.
    const tampered = await t.database.withOwner(async (run) => {
      const rows = await run(`select seq from audit_event where chain = 'platform' order by seq limit 1 offset 1`);
      const seq = Number(rows[0]!.seq);
      await run(`alter table audit_event disable trigger audit_event_no_update_or_delete;
                 update audit_event set action = 'user.innocent' where seq = ${seq};
                 alter table audit_event enable trigger audit_event_no_update_or_delete;`);
      return seq;
    });
    const afterEdit = await verifyAuditChain(t.database.db);
    expect(afterEdit.problems).toEqual([{ chain: 'platform', seq: tampered, problem: 'content does not match its hash (the row was changed)' }]);

    await t.database.withOwner((run) =>
      run(`alter table audit_event disable trigger audit_event_no_update_or_delete;
           delete from audit_event where seq = ${tampered};
           alter table audit_event enable trigger audit_event_no_update_or_delete;`),
    );
    const afterDelete = await verifyAuditChain(t.database.db);
    expect(afterDelete.problems).toHaveLength(1);
    expect(afterDelete.problems[0]!.problem).toContain('does not follow the row before it');
  });
});

describe('a service manager looking at who has viewed or changed a record', () => {
  it('sees the trail of a member of their own team, and looking is itself recorded', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    const linkWorker = await userId(demoEmail('link_worker'));
    await signedInAs(t.app, 'link_worker'); // a sign-in to show in the trail
    const page = await manager.get(`/audit/user/${linkWorker}`);
    expect(page.statusCode).toBe(200);
    expect(squash(page.body)).toContain('session.sign_in');
    const recorded = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'outcome'])
      .where('record_id', '=', linkWorker)
      .where('action', '=', 'audit.read')
      .execute();
    expect(recorded).toEqual([{ action: 'audit.read', outcome: 'success' }]);
  });

  it('is told “not found” for someone in another service, and the attempt is recorded as refused', async () => {
    const otherService = await t.database.db
      .insertInto('organisation')
      .values({ kind: 'sp_service', name: 'Another Town Social Prescribing' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const outsider = await t.database.db.insertInto('app_user').values({ email: 'outsider@example.org', display_name: 'Out Sider' }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('membership').values({ user_id: outsider.id, organisation_id: otherService.id, role: 'link_worker' }).execute();

    const manager = await signedInAs(t.app, 'service_manager');
    const page = await manager.get(`/audit/user/${outsider.id}`);
    expect(page.statusCode).toBe(404);
    const refused = await t.database.db.selectFrom('audit_event').select('outcome').where('record_id', '=', outsider.id).where('action', '=', 'audit.read').execute();
    expect(refused).toEqual([{ outcome: 'denied' }]);
  });

  it('cannot be opened by a link worker at all', async () => {
    const linkWorker = await signedInAs(t.app, 'link_worker');
    const response = await linkWorker.get(`/audit/user/${await userId(demoEmail('link_worker'))}`);
    expect(response.statusCode).toBe(403);
  });
});
