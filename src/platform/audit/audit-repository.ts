import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEventRow, Schema } from '../../db/schema.js';
import { auditBody, type AuditContent } from './audit-chain.js';

type Tx = Transaction<Schema>;

/** Appends a row to its chain under the chain's lock (see migration 0011). */
export async function appendAuditEvent(db: Kysely<Schema>, content: AuditContent): Promise<void> {
  await sql`select audit_append(${content.chain}, ${content.occurredAt}::timestamptz, ${content.actorUserId}::uuid, ${content.actorRole}, ${content.actorOrganisationId}::uuid, ${content.action}, ${content.recordType}, ${content.recordId}, ${content.serviceId}::uuid, ${content.outcome}, ${content.requestId}, ${JSON.stringify(content.detail)}::jsonb, ${auditBody(content)})`.execute(db);
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
