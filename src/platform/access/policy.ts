import type { OrganisationKind, Role } from './roles.js';

/**
 * The one place that decides who may do what. Routes ask `can(actor, permission)` before
 * they run; services ask `can(actor, permission, target)` about the record in hand.
 */

/** Who is acting: one user in one role within one organisation (a session's or an API token's membership). */
export interface Actor {
  userId: string;
  displayName: string;
  membershipId: string;
  role: Role;
  organisationId: string;
  organisationKind: OrganisationKind;
  organisationName: string;
  /** The social prescribing service the organisation belongs to or is served by (the tenant), if any. */
  serviceId: string | null;
  via: 'session' | 'api_token';
}

/** How far a role's permission reaches. */
type Scope =
  /** anything of this kind, anywhere */
  | 'any'
  /** records whose service is the actor's service */
  | 'own_service'
  /** records of the actor's own organisation */
  | 'own_organisation'
  /** installation-level records (accounts, organisations), never a person's case data */
  | 'platform';

const PERMISSIONS = {
  'home.view': {
    link_worker: 'any',
    service_manager: 'any',
    referrer: 'any',
    provider: 'any',
    directory_editor: 'any',
    commissioner: 'any',
    admin: 'any',
  },
  'team.view': { link_worker: 'own_service', service_manager: 'own_service' },
  'practice.view': { referrer: 'own_organisation' },
  'organisation.view_own': { provider: 'own_organisation', directory_editor: 'own_organisation' },
  'commissioning.view': { commissioner: 'own_organisation' },
  'organisation.manage': { admin: 'any' },
  'user.manage': { admin: 'any' },
  'api_token.manage': { admin: 'any' },
  'audit.read': { service_manager: 'own_service', admin: 'platform' },
  // Referrals in: practices and agencies refer for their own organisation and follow its referrals.
  'referral.create': { referrer: 'own_organisation' },
  'referral.track': { referrer: 'own_organisation' },
  'referral.triage': { service_manager: 'own_service' },
  // Casework: the service's link workers and manager, only within their service.
  'person.read': { link_worker: 'own_service', service_manager: 'own_service' },
  'person.write': { link_worker: 'own_service', service_manager: 'own_service' },
  'episode.read': { link_worker: 'own_service', service_manager: 'own_service' },
  'episode.write': { link_worker: 'own_service', service_manager: 'own_service' },
  'episode.reallocate': { service_manager: 'own_service' },
  'caseload.view_service': { service_manager: 'own_service' },
  'task.manage': { link_worker: 'own_service', service_manager: 'own_service' },
  'service.configure': { service_manager: 'own_service' },
  'gap.record': { link_worker: 'own_service', service_manager: 'own_service' },
  // Connections: the service's side makes and follows them; a provider answers referrals to its own organisation.
  'measure.record': { link_worker: 'own_service', service_manager: 'own_service' },
  'measure.import': { service_manager: 'own_service' },
  'report.outcomes': { service_manager: 'own_service', commissioner: 'own_organisation' },
  'report.activity': { service_manager: 'own_service', commissioner: 'own_organisation' },
  'gap.register': { service_manager: 'own_service' },
  'gap.export': { service_manager: 'own_service', commissioner: 'own_organisation' },
  'connection.manage': { link_worker: 'own_service', service_manager: 'own_service' },
  'connection.respond': { provider: 'own_organisation' },
  // Keeping entries fresh: editors for every entry, providers for their own organisation's.
  'directory.verify': { directory_editor: 'any', provider: 'own_organisation' },
  'directory.edit': { directory_editor: 'any', provider: 'own_organisation' },
  // Bringing whole feeds in, and taking the directory out: the directory editors.
  'directory.import': { directory_editor: 'any' },
  'directory.organisation': { directory_editor: 'any' },
  'directory.export': { directory_editor: 'any', service_manager: 'any', commissioner: 'any' },
  // The community directory is public information: anyone working in the service may search it.
  'directory.search': {
    link_worker: 'any',
    service_manager: 'any',
    referrer: 'any',
    provider: 'any',
    directory_editor: 'any',
    commissioner: 'any',
  },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

/** What a record-level check is about: the record's tenant and owning organisation. */
export interface Target {
  /** Services the record belongs to; empty for installation-level records. */
  serviceIds?: readonly (string | null)[];
  organisationId?: string | null;
  /** True for a person's case data (people, referrals, episodes…), which 'platform' scope never reaches. */
  caseData?: boolean;
}

export function scopeOf(role: Role, permission: Permission): Scope | undefined {
  return (PERMISSIONS[permission] as Partial<Record<Role, Scope>>)[role];
}

/** May this actor use this permission at all (whatever the record)? */
export function can(actor: Actor | null, permission: Permission, target?: Target): boolean {
  if (!actor) return false;
  const scope = scopeOf(actor.role, permission);
  if (!scope) return false;
  if (!target) return true;
  switch (scope) {
    case 'any':
      return true;
    case 'own_service':
      return actor.serviceId !== null && (target.serviceIds ?? []).includes(actor.serviceId);
    case 'own_organisation':
      return target.organisationId === actor.organisationId;
    case 'platform':
      return !target.caseData;
  }
}
