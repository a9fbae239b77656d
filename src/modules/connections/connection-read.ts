import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit, writeAuditAlone } from '../../platform/audit/audit-service.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../shared/form.js';
import { CONNECTION_NEXT_ACTIONS, type ConnectionKind, type ConnectionStatus, mayAct } from './connection-lifecycle.js';
import { connectionActions, responsiveness } from './connection-service.js';

/** What each side sees of connections: the service's side everything, the provider only what was shared. */

type Db = Kysely<Schema>;

export const findConnection = (db: Db, id: string) =>
  isUuid(id)
    ? db
        .selectFrom('connection')
        .select(['id', 'service_id', 'episode_id', 'person_id', 'kind', 'status', 'version', 'provider_organisation_id', 'directory_service_id'])
        .where('id', '=', id)
        .executeTakeFirst()
    : Promise.resolve(undefined);

export function episodeConnections(db: Db, serviceId: string, episodeId: string) {
  return db
    .selectFrom('connection as c')
    .innerJoin('directory_service as s', 's.id', 'c.directory_service_id')
    .select(['c.id', 'c.kind', 'c.status', 'c.created_at', 'c.link_worker_unread', 's.name as service_name'])
    .where('c.service_id', '=', serviceId)
    .where('c.episode_id', '=', episodeId)
    .orderBy('c.created_at', 'desc')
    .execute();
}

const nextFor = (status: string, kind: string, side: 'link_worker' | 'provider') =>
  (CONNECTION_NEXT_ACTIONS[status as ConnectionStatus][side] ?? []).filter((action) => mayAct(status as ConnectionStatus, side, action, kind as ConnectionKind));

/** The link worker's view: everything, and seeing it clears the "new update" mark. Audited. */
export async function connectionForService(db: Db, actor: Actor, id: string, requestId: string) {
  const connection = await db
    .selectFrom('connection as c')
    .innerJoin('directory_service as s', 's.id', 'c.directory_service_id')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .innerJoin('episode as e', 'e.id', 'c.episode_id')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .selectAll('c')
    .select(['s.name as service_name', 's.status as service_status', 'o.name as organisation_name', 'e.link_worker_user_id', 'p.given_name', 'p.family_name', 'p.preferred_name'])
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!connection) throw notFound('connection');
  const [actions, answers] = await Promise.all([connectionActions(db, id), responsiveness(db, connection.directory_service_id)]);
  await db.transaction().execute(async (trx) => {
    if (connection.link_worker_unread && connection.link_worker_user_id === actor.userId) {
      await trx.updateTable('connection').set({ link_worker_unread: false }).where('id', '=', id).execute();
    }
    await writeAudit(trx, { actor, action: 'person.read', recordType: 'person', recordId: connection.person_id, serviceId: connection.service_id, requestId, detail: { connection_id: id } });
  });
  return { connection, actions, answers, next: nextFor(connection.status, connection.kind, 'link_worker') };
}

/** The provider inbox query: referrals to an organisation's services, those needing an answer first. */
export function providerInboxQuery(db: Db, organisationId: string, options: { open: boolean } = { open: true }) {
  return db
    .selectFrom('connection as c')
    .innerJoin('directory_service as s', 's.id', 'c.directory_service_id')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .select([
      'c.id',
      'c.status',
      'c.referred_at',
      'c.expires_at',
      'c.share_contact',
      's.name as service_name',
      sql<string | null>`case when c.share_contact then p.given_name || ' ' || p.family_name end`.as('person_name'),
    ])
    .where('c.provider_organisation_id', '=', organisationId)
    .where('c.kind', '=', 'referral')
    .where('c.status', 'in', options.open ? ['referred', 'expired', 'accepted', 'started', 'attending'] : ['declined', 'withdrawn', 'stopped', 'did_not_start', 'ended'])
    .orderBy(sql`case c.status when 'referred' then 0 when 'expired' then 1 else 2 end`)
    .orderBy('c.referred_at')
    .limit(500);
}

/** A provider's inbox: referrals to its organisation's services that need or had its answer. */
export async function providerInbox(db: Db, actor: Actor, requestId: string, options: { open: boolean }) {
  const rows = await providerInboxQuery(db, actor.organisationId, options).execute();
  if (rows.some((r) => r.person_name)) {
    await writeAuditAlone(db, { actor, action: 'connection.inbox_read', serviceId: null, requestId, detail: { named: rows.filter((r) => r.person_name).length } });
  }
  return rows;
}

/** What the provider may see of one referral: why, the shared note, and name and contact only if the person agreed. Audited. */
export async function connectionForProvider(db: Db, actor: Actor, id: string, requestId: string) {
  const c = await db
    .selectFrom('connection as c')
    .innerJoin('directory_service as s', 's.id', 'c.directory_service_id')
    .innerJoin('person as p', 'p.id', 'c.person_id')
    .innerJoin('organisation as sp', 'sp.id', 'c.service_id')
    .select([
      'c.id',
      'c.kind',
      'c.status',
      'c.version',
      'c.reason',
      'c.shared_note',
      'c.share_contact',
      'c.referred_at',
      'c.expires_at',
      'c.person_id',
      'c.service_id',
      'c.provider_organisation_id',
      's.name as service_name',
      'sp.name as referring_service',
      'p.given_name',
      'p.family_name',
      'p.preferred_name',
      'p.phone',
      'p.email',
      'p.contact_method',
      'p.contact_times',
    ])
    .where('c.id', '=', id)
    .where('c.kind', '=', 'referral')
    .where('c.status', '<>', 'suggested')
    .executeTakeFirst();
  if (!c || c.provider_organisation_id !== actor.organisationId) throw notFound('referral');
  const actions = (await connectionActions(db, id)).filter((a) => a.kind !== 'suggested');
  await writeAuditAlone(db, { actor, action: 'connection.read', recordType: 'person', recordId: c.person_id, serviceId: c.service_id, requestId, detail: { connection_id: id, named: c.share_contact } });
  const person = c.share_contact ? { name: `${c.preferred_name || c.given_name} ${c.family_name}`, phone: c.phone, email: c.email, contactMethod: c.contact_method, contactTimes: c.contact_times } : null;
  return {
    id: c.id,
    status: c.status,
    version: c.version,
    reason: c.reason,
    sharedNote: c.shared_note,
    referredAt: c.referred_at,
    expiresAt: c.expires_at,
    serviceName: c.service_name,
    referringService: c.referring_service,
    person,
    actions: actions.map((a) => ({ kind: a.kind, side: a.side, occurredAt: a.occurred_at, reason: a.reason, note: a.note, sessionDate: a.session_date })),
    next: nextFor(c.status, c.kind, 'provider'),
  };
}
