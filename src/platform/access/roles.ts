export const Role = {
  linkWorker: 'link_worker',
  serviceManager: 'service_manager',
  referrer: 'referrer',
  provider: 'provider',
  directoryEditor: 'directory_editor',
  commissioner: 'commissioner',
  admin: 'admin',
} as const;
export type Role = (typeof Role)[keyof typeof Role];
export const ROLES = Object.values(Role);

export const ROLE_LABELS = {
  link_worker: 'Link worker',
  service_manager: 'Service manager',
  referrer: 'Referrer',
  provider: 'Provider',
  directory_editor: 'Directory editor',
  commissioner: 'Commissioner',
  admin: 'Administrator',
} as const satisfies Record<Role, string>;

export const OrganisationKind = {
  spService: 'sp_service',
  pcn: 'pcn',
  gpPractice: 'gp_practice',
  communityOrg: 'community_org',
  councilIcb: 'council_icb',
  agency: 'agency',
} as const;
export type OrganisationKind = (typeof OrganisationKind)[keyof typeof OrganisationKind];
export const ORGANISATION_KINDS = Object.values(OrganisationKind);

export const ORGANISATION_KIND_LABELS = {
  sp_service: 'Social prescribing service',
  pcn: 'Primary care network (PCN)',
  gp_practice: 'GP practice',
  community_org: 'Community organisation',
  council_icb: 'Council or integrated care board',
  agency: 'Referring agency (council team, pharmacy, hospital, housing, VCSE)',
} as const satisfies Record<OrganisationKind, string>;

/** Which kinds of organisation a role can be held in. */
export const ROLE_ORGANISATION_KINDS = {
  link_worker: ['sp_service'],
  service_manager: ['sp_service'],
  referrer: ['gp_practice', 'agency'],
  provider: ['community_org'],
  directory_editor: ['sp_service', 'council_icb'],
  commissioner: ['council_icb', 'pcn'],
  admin: ['sp_service', 'council_icb', 'pcn'],
} as const satisfies Record<Role, readonly OrganisationKind[]>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as string[]).includes(value);
}

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === 'string' && (ORGANISATION_KINDS as string[]).includes(value);
}
