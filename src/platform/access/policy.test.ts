import { describe, expect, it } from 'vitest';
import { ALL_PERMISSIONS, can, type Actor } from './policy.js';
import { ROLES, type Role } from './roles.js';

const actor = (role: Role, serviceId: string | null = 'service-a', organisationId = 'org-a'): Actor => ({
  userId: 'u',
  displayName: 'U',
  membershipId: 'm',
  role,
  organisationId,
  organisationKind: 'sp_service',
  organisationName: 'A',
  serviceId,
  via: 'session',
});

describe('the access policy', () => {
  it('refuses everything to nobody', () => {
    for (const permission of ALL_PERMISSIONS) expect(can(null, permission)).toBe(false);
  });

  it('lets every role see its start page', () => {
    for (const role of ROLES) expect(can(actor(role), 'home.view')).toBe(true);
  });

  it('keeps own-service records within the service', () => {
    const manager = actor('service_manager');
    expect(can(manager, 'audit.read', { serviceIds: ['service-a'] })).toBe(true);
    expect(can(manager, 'audit.read', { serviceIds: ['service-b'] })).toBe(false);
    expect(can(manager, 'audit.read', { serviceIds: [] })).toBe(false);
    expect(can(actor('service_manager', null), 'audit.read', { serviceIds: [null] })).toBe(false);
  });

  it('never lets an administrator’s platform scope reach a person’s case data', () => {
    expect(can(actor('admin'), 'audit.read', { serviceIds: ['service-b'] })).toBe(true);
    expect(can(actor('admin'), 'audit.read', { serviceIds: ['service-a'], caseData: true })).toBe(false);
  });

  it('limits own-organisation permissions to the organisation', () => {
    const referrer = actor('referrer', 'service-a', 'practice-1');
    expect(can(referrer, 'practice.view', { organisationId: 'practice-1' })).toBe(true);
    expect(can(referrer, 'practice.view', { organisationId: 'practice-2' })).toBe(false);
  });
});
