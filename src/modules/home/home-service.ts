import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { getOrganisation, listOrganisations, listTeam } from '../accounts/accounts-service.js';

type Db = Kysely<Schema>;

const teamOf = listTeam;

/** The actor's social prescribing service: its practices, its team, and (for managers) recent activity. */
export async function serviceOverview(db: Db, actor: Actor) {
  if (!actor.serviceId) return undefined;
  const [service, practices, pcns, team, recentActivity] = await Promise.all([
    getOrganisation(db, actor.serviceId),
    listOrganisations(db, { serviceId: actor.serviceId, kind: 'gp_practice' }),
    listOrganisations(db, { serviceId: actor.serviceId, kind: 'pcn' }),
    teamOf(db, actor.serviceId),
    actor.role !== 'service_manager'
      ? Promise.resolve([])
      : db
      .selectFrom('audit_event as e')
      .leftJoin('app_user as u', 'u.id', 'e.actor_user_id')
      .select(['e.occurred_at', 'e.action', 'e.outcome', 'e.record_type', 'e.record_id', 'u.display_name as actor_name'])
      .where('e.service_id', '=', actor.serviceId)
      .orderBy('e.seq', 'desc')
      .limit(15)
      .execute(),
  ]);
  return { service, practices, pcns, team, recentActivity };
}

/** The actor's own organisation (a practice, community organisation or editor's organisation) and who works there. */
export async function organisationOverview(db: Db, actor: Actor) {
  const organisation = await getOrganisation(db, actor.organisationId);
  const [service, parent, team] = await Promise.all([
    organisation.service_id ? getOrganisation(db, organisation.service_id) : undefined,
    organisation.parent_id ? getOrganisation(db, organisation.parent_id) : undefined,
    teamOf(db, organisation.id),
  ]);
  const linkWorkers = service ? (await teamOf(db, service.id)).filter((member) => member.roles.includes('link_worker')) : [];
  const communityOrganisations = actor.role === 'directory_editor' ? await listOrganisations(db, { kind: 'community_org' }) : [];
  return { organisation, service, parent, team, linkWorkers, communityOrganisations };
}

/** Services whose commissioner is the actor's organisation, with counts only. */
export async function commissionedServices(db: Db, actor: Actor) {
  return db
    .selectFrom('organisation as s')
    .select([
      's.id',
      's.name',
      's.postcode',
      sql<number>`(select count(*)::int from organisation p where p.service_id = s.id and p.kind = 'gp_practice')`.as('practices'),
      sql<number>`(select count(distinct m.user_id)::int from membership m where m.organisation_id = s.id and m.role = 'link_worker' and m.removed_at is null)`.as(
        'link_workers',
      ),
    ])
    .where('s.kind', '=', 'sp_service')
    .where('s.parent_id', '=', actor.organisationId)
    .orderBy('s.name')
    .execute();
}

/**
 * Whose figures an actor reports on, and how: a service's own staff see their service in full; a
 * commissioner sees the services it commissions, with small numbers suppressed.
 */
export async function reportingScope(db: Db, actor: Actor): Promise<{ serviceIds: string[]; suppress: boolean }> {
  if (actor.role !== 'commissioner') return { serviceIds: actor.serviceId ? [actor.serviceId] : [], suppress: false };
  const services = await db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').where('parent_id', '=', actor.organisationId).execute();
  return { serviceIds: services.map((s) => s.id), suppress: true };
}
