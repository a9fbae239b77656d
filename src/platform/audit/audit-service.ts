import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../access/policy.js';
import { GENESIS_HASH, PLATFORM_CHAIN, auditHash, type AuditContent, type AuditDetail } from './audit-chain.js';
import { appendAuditEvent, listAfter } from './audit-repository.js';

/** Everything an audit row records, passed explicitly: never a request object or a token. */
export interface AuditEntry {
  actor: Pick<Actor, 'userId' | 'role' | 'organisationId'> | null;
  /** Dotted vocabulary shared with permissions, e.g. `user.create`, `person.read`. */
  action: string;
  recordType?: string;
  recordId?: string;
  /** The tenant the record belongs to; null for installation-level records. Chooses the hash chain. */
  serviceId: string | null;
  outcome?: 'success' | 'denied' | 'failure';
  requestId?: string;
  /** Ids, field names, reasons: no personal data. */
  detail?: AuditDetail;
}

/**
 * Writes one audit row inside the caller's transaction, so it commits or rolls back with the change.
 * One statement: the database locks the chain, links the row to its head and hashes it.
 */
export async function writeAudit(trx: Transaction<Schema>, entry: AuditEntry): Promise<void> {
  await appendAuditEvent(trx, auditContent(entry));
}

/**
 * For reads and events with no change to go with them (a refusal, a sign-in failure): a statement
 * of its own, committed before the caller goes on.
 */
export async function writeAuditAlone(db: Kysely<Schema>, entry: AuditEntry): Promise<void> {
  await appendAuditEvent(db, auditContent(entry));
}

function auditContent(entry: AuditEntry): AuditContent {
  return {
    chain: entry.serviceId ?? PLATFORM_CHAIN,
    occurredAt: new Date(),
    actorUserId: entry.actor?.userId ?? null,
    actorRole: entry.actor?.role ?? null,
    actorOrganisationId: entry.actor?.organisationId ?? null,
    action: entry.action,
    recordType: entry.recordType ?? null,
    recordId: entry.recordId ?? null,
    serviceId: entry.serviceId,
    outcome: entry.outcome ?? 'success',
    requestId: entry.requestId ?? null,
    detail: entry.detail ?? {},
  };
}

export interface ChainProblem {
  chain: string;
  seq: number;
  problem: string;
}

export interface VerifyResult {
  events: number;
  chains: number;
  problems: ChainProblem[];
  /**
   * The last hash of each chain. A chain proves nothing was changed or removed before its head;
   * recording the heads somewhere else (a ticket, a log) also catches rows cut from the end.
   */
  heads: Record<string, { seq: number; hash: string }>;
}

/** Recomputes every chain from the start and reports each row whose link or content does not match. */
export async function verifyAuditChain(
  db: Kysely<Schema>,
  onProgress?: (checked: number) => void,
): Promise<VerifyResult> {
  const problems: ChainProblem[] = [];
  let events = 0;
  const chains = new Set<string>();
  const heads: VerifyResult['heads'] = {};
  let cursor: { chain: string; seq: number } | null = null;
  let expectedPrev = GENESIS_HASH;
  for (;;) {
    const rows = await listAfter(db, cursor, 2000);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (!chains.has(row.chain)) {
        chains.add(row.chain);
        expectedPrev = GENESIS_HASH;
      }
      if (row.prev_hash !== expectedPrev) {
        problems.push({ chain: row.chain, seq: row.seq, problem: 'does not follow the row before it (a row was removed or reordered)' });
      }
      const recomputed = auditHash(row.prev_hash, {
        chain: row.chain,
        occurredAt: row.occurred_at,
        actorUserId: row.actor_user_id,
        actorRole: row.actor_role,
        actorOrganisationId: row.actor_organisation_id,
        action: row.action,
        recordType: row.record_type,
        recordId: row.record_id,
        serviceId: row.service_id,
        outcome: row.outcome,
        requestId: row.request_id,
        detail: row.detail as AuditDetail,
      });
      if (recomputed !== row.hash) {
        problems.push({ chain: row.chain, seq: row.seq, problem: 'content does not match its hash (the row was changed)' });
      }
      expectedPrev = row.hash;
      heads[row.chain] = { seq: row.seq, hash: row.hash };
      events += 1;
    }
    const last = rows.at(-1)!;
    cursor = { chain: last.chain, seq: last.seq };
    onProgress?.(events);
  }
  return { events, chains: chains.size, problems, heads };
}
