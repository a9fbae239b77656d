import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Target } from '../../platform/access/policy.js';
import { assertCan } from '../../platform/auth/auth-plugin.js';
import { listForRecord } from '../../platform/audit/audit-repository.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../shared/form.js';
import { getOrganisation, userServiceIds } from '../accounts/accounts-service.js';
import { findPersonTenant } from '../people/people-service.js';

type OwnerResolver = (db: Kysely<Schema>, id: string) => Promise<Target | undefined>;

/** For each kind of record with an audit trail: whose it is, so the policy can decide who may see its trail. */
const RECORD_OWNERS = new Map<string, OwnerResolver>([
  [
    'user',
    async (db, id) => {
      const serviceIds = await userServiceIds(db, id);
      return serviceIds.length || (await db.selectFrom('app_user').select('id').where('id', '=', id).executeTakeFirst()) ? { serviceIds } : undefined;
    },
  ],
  [
    'organisation',
    async (db, id) => {
      const organisation = await getOrganisation(db, id).catch(() => undefined);
      return organisation ? { serviceIds: [organisation.service_id], organisationId: organisation.id } : undefined;
    },
  ],
  [
    'person',
    async (db, id) => {
      const person = await findPersonTenant(db, id);
      return person ? { serviceIds: [person.service_id], caseData: true } : undefined;
    },
  ],
]);

/** Other modules add their record kinds (people, referrals…) here as they arrive. */
export function registerAuditRecordType(recordType: string, resolver: OwnerResolver) {
  RECORD_OWNERS.set(recordType, resolver);
}

/** Who has viewed or changed a record: its trail, for those the policy allows. Looking is itself audited. */
export async function readTrail(request: FastifyRequest, recordType: string, recordId: string) {
  const db = request.server.db;
  const actor = request.actor!;
  const resolve = RECORD_OWNERS.get(recordType);
  if (!resolve || !isUuid(recordId)) throw notFound('record');
  const target = await resolve(db, recordId);
  if (!target) throw notFound('record');
  await assertCan(request, 'audit.read', target, { type: recordType, id: recordId });
  // A manager sees what happened within their service; an administrator sees account records whole.
  const serviceIds = actor.role === 'service_manager' && actor.serviceId ? [actor.serviceId] : undefined;
  return db.transaction().execute(async (trx) => {
    const events = await listForRecord(trx, { recordType, recordId, ...(serviceIds ? { serviceIds } : {}), limit: 500 });
    await writeAudit(trx, {
      actor,
      action: 'audit.read',
      recordType,
      recordId,
      serviceId: actor.role === 'service_manager' ? actor.serviceId : null,
      requestId: request.id,
    });
    return events;
  });
}
