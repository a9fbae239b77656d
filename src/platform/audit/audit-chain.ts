import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);
export const PLATFORM_CHAIN = 'platform';

export type AuditDetail = Record<string, string | number | boolean | null>;

/** The fields of an audit row that its hash covers. */
export interface AuditContent {
  chain: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string | null;
  actorOrganisationId: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  serviceId: string | null;
  outcome: 'success' | 'denied' | 'failure';
  requestId: string | null;
  detail: AuditDetail;
}

/** JSON with object keys sorted, so the same content always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What a row's hash covers besides the previous hash: its content as canonical JSON. */
export function auditBody(content: AuditContent): string {
  return canonicalJson([
    content.chain,
    content.occurredAt.toISOString(),
    content.actorUserId,
    content.actorRole,
    content.actorOrganisationId,
    content.action,
    content.recordType,
    content.recordId,
    content.serviceId,
    content.outcome,
    content.requestId,
    content.detail,
  ]);
}

export function auditHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update('\n').update(auditBody(content)).digest('hex');
}
