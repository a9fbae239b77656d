/** Plain-English names for audit actions and record types, for the pages that show the trail. */
const ACTIONS: Record<string, string> = {
  'session.sign_in': 'Signed in',
  'user.create': 'Created the account',
  'user.read': 'Viewed the account',
  'user.set_password': 'Set a password with a one-time link',
  'user.reset_password': 'Reset the password',
  'user.disable': 'Disabled the account',
  'user.enable': 'Enabled the account',
  'membership.create': 'Gave a role',
  'membership.remove': 'Removed a role',
  'api_token.create': 'Created an API token',
  'api_token.revoke': 'Revoked an API token',
  'organisation.create': 'Added the organisation',
  'audit.read': 'Looked at the audit trail',
  'system.seed_demo': 'Set up the demo region',
};

const RECORDS: Record<string, string> = { user: 'User account', organisation: 'Organisation' };

export const actionLabel = (action: string) => ACTIONS[action] ?? action;
export const recordLabel = (recordType: string) => RECORDS[recordType] ?? recordType;
