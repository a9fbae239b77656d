import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEventRow, Schema } from '../../db/schema.js';
import type { AuditContent } from './audit-chain.js';

type Tx = Transaction<Schema>;

/** Serialises writers of one chain until their transaction ends, so each row links to the one before. */
export async function lockChain(trx: Tx, chain: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`audit:${chain}`}))`.execute(trx);
}

export async function findChainHead(trx: Tx, chain: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('audit_event')
    .select('hash')
    .where('chain', '=', chain)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.hash;
}

export async function insertAuditEvent(trx: Tx, content: AuditContent, prevHash: string, hash: string): Promise<void> {
  await trx
    .insertInto('audit_event')
    .values({
      chain: content.chain,
      occurred_at: content.occurredAt,
      actor_user_id: content.actorUserId,
      actor_role: content.actorRole,
      actor_organisation_id: content.actorOrganisationId,
      action: content.action,
      record_type: content.recordType,
      record_id: content.recordId,
      service_id: content.serviceId,
      outcome: content.outcome,
      request_id: content.requestId,
      detail: JSON.stringify(content.detail),
      prev_hash: prevHash,
      hash,
    })
    .execute();
}

/** One page of the whole trail in chain order, for verification. */
export async function listAfter(db: Kysely<Schema>, after: { chain: string; seq: number } | null, limit: number): Promise<AuditEventRow[]> {
  let query = db.selectFrom('audit_event').selectAll().orderBy('chain').orderBy('seq').limit(limit);
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('chain', '>', after.chain), eb.and([eb('chain', '=', after.chain), eb('seq', '>', after.seq)])]),
    );
  }
  return query.execute();
}

export interface TrailFilter {
  recordType: string;
  recordId: string;
  /** Only events in these chains; undefined for every chain. */
  serviceIds?: string[];
  limit: number;
}

export async function listForRecord(db: Kysely<Schema> | Tx, filter: TrailFilter) {
  let query = db
    .selectFrom('audit_event as e')
    .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
    .leftJoin('organisation as o', 'o.id', 'e.actor_organisation_id')
    .select([
      'e.seq',
      'e.occurred_at',
      'e.action',
      'e.outcome',
      'e.actor_role',
      'e.detail',
      'u.display_name as actor_name',
      'o.name as actor_organisation_name',
    ])
    .where('e.record_type', '=', filter.recordType)
    .where('e.record_id', '=', filter.recordId)
    .orderBy('e.seq', 'desc')
    .limit(filter.limit);
  if (filter.serviceIds) query = query.where('e.service_id', 'in', filter.serviceIds.length ? filter.serviceIds : ['00000000-0000-0000-0000-000000000000']);
  return query.execute();
}
