import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../access/policy.js';
import { isOrganisationKind, isRole } from '../access/roles.js';
import { findTokenActor } from './auth-repository.js';
import { randomToken, sha256 } from './secrets.js';

const TOKEN_PATTERN = /^ap_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

/** A new token: `ap_<prefix>_<secret>`. The prefix is shown in lists so a token can be recognised without being revealed. */
export function newApiToken(): { token: string; prefix: string; hash: string } {
  const prefix = randomToken(6);
  const token = `ap_${prefix}_${randomToken(32)}`;
  return { token, prefix, hash: sha256(token) };
}

export async function resolveApiToken(db: Kysely<Schema>, token: string, now = new Date()): Promise<Actor | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = await findTokenActor(db, sha256(token));
  if (!row || row.revoked_at || row.removed_at || row.user_disabled_at || row.organisation_disabled_at) return undefined;
  if (row.expires_at && row.expires_at <= now) return undefined;
  if (!isRole(row.role) || !isOrganisationKind(row.organisation_kind)) return undefined;
  if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return {
    userId: row.user_id,
    displayName: row.display_name,
    membershipId: row.membership_id,
    role: row.role,
    organisationId: row.organisation_id,
    organisationKind: row.organisation_kind,
    organisationName: row.organisation_name,
    serviceId: row.service_id,
    via: 'api_token',
  };
}
