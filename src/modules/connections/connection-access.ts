import { requireRecord } from '../../platform/auth/auth-plugin.js';
import { findConnection } from './connection-read.js';

/** The service's side: the connection's episode must be in the actor's service. */
export const connectionInService = requireRecord('connection.manage', 'connection', async (db, id) => {
  const c = await findConnection(db, id);
  return c && { target: { serviceIds: [c.service_id], caseData: true }, record: { type: 'person', id: c.person_id } };
});

/** The provider's side: only referrals to the provider's own organisation that have been sent. */
export const referralToProvider = requireRecord('connection.respond', 'referral', async (db, id) => {
  const c = await findConnection(db, id);
  if (!c || c.kind !== 'referral' || c.status === 'suggested') return undefined;
  return { target: { organisationId: c.provider_organisation_id }, record: { type: 'person', id: c.person_id } };
});
