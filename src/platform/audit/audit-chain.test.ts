import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, auditHash, canonicalJson, type AuditContent } from './audit-chain.js';

const content: AuditContent = {
  chain: 'platform',
  occurredAt: new Date('2026-11-21T10:00:00.000Z'),
  actorUserId: null,
  actorRole: null,
  actorOrganisationId: null,
  action: 'user.create',
  recordType: 'user',
  recordId: 'abc',
  serviceId: null,
  outcome: 'success',
  requestId: 'r1',
  detail: { b: 1, a: 'x' },
};

describe('audit hashing', () => {
  it('canonical JSON sorts keys at every level, as jsonb would not keep them', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same hash for the same content whatever the key order', () => {
    expect(auditHash(GENESIS_HASH, content)).toBe(auditHash(GENESIS_HASH, { ...content, detail: { a: 'x', b: 1 } }));
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const base = auditHash(GENESIS_HASH, content);
    expect(auditHash(GENESIS_HASH, { ...content, action: 'user.read' })).not.toBe(base);
    expect(auditHash(GENESIS_HASH, { ...content, occurredAt: new Date('2026-11-21T10:00:00.001Z') })).not.toBe(base);
    expect(auditHash(GENESIS_HASH, { ...content, detail: { a: 'y', b: 1 } })).not.toBe(base);
    expect(auditHash('1'.repeat(64), content)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
