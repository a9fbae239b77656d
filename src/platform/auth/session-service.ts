import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../access/policy.js';
import { isOrganisationKind, isRole } from '../access/roles.js';
import { findSessionActor } from './auth-repository.js';
import { randomToken, sha256 } from './secrets.js';

export const SESSION_COOKIE = 'anchorpoint_session';
/** last_seen_at is written at most this often, so reading a page is not a write every time. */
const TOUCH_INTERVAL_MS = 60_000;

export type SessionTimeouts = Pick<Config, 'sessionIdleMinutes' | 'sessionAbsoluteHours'>;

export interface ResolvedSession {
  idHash: string;
  userId: string;
  displayName: string;
  /** Null when the user has not yet chosen which role to act in. */
  actor: Actor | null;
  /** How many roles they hold, so pages offer "Switch role" only when there is a choice. */
  roleCount: number;
  /** Messages in the user's inbox they have not opened. */
  unreadMessages: number;
}

export async function createSession(
  db: Kysely<Schema>,
  timeouts: SessionTimeouts,
  userId: string,
  membershipId: string | null,
): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('session')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      membership_id: membershipId,
      expires_at: new Date(Date.now() + timeouts.sessionAbsoluteHours * 3_600_000),
    })
    .execute();
  return token;
}

export async function setSessionMembership(db: Kysely<Schema>, idHash: string, membershipId: string): Promise<void> {
  await db.updateTable('session').set({ membership_id: membershipId }).where('id_hash', '=', idHash).execute();
}

export async function destroySession(db: Kysely<Schema>, token: string): Promise<void> {
  await db.deleteFrom('session').where('id_hash', '=', sha256(token)).execute();
}

export async function destroyUserSessions(db: Kysely<Schema>, userId: string): Promise<void> {
  await db.deleteFrom('session').where('user_id', '=', userId).execute();
}

/** Turns a cookie into a session, or undefined when it is unknown, idle too long, past its limit, or its user is disabled. */
export async function resolveSession(
  db: Kysely<Schema>,
  timeouts: SessionTimeouts,
  token: string,
  now = new Date(),
): Promise<ResolvedSession | undefined> {
  const idHash = sha256(token);
  const row = await findSessionActor(db, idHash);
  if (!row) return undefined;
  const idleLimit = row.last_seen_at.getTime() + timeouts.sessionIdleMinutes * 60_000;
  if (row.user_disabled_at || row.expires_at <= now || idleLimit <= now.getTime()) {
    await db.deleteFrom('session').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('session').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  const actor: Actor | null =
    row.membership_id && row.organisation_id && isRole(row.role) && isOrganisationKind(row.organisation_kind)
      ? {
          userId: row.user_id,
          displayName: row.display_name,
          membershipId: row.membership_id,
          role: row.role,
          organisationId: row.organisation_id,
          organisationKind: row.organisation_kind,
          organisationName: row.organisation_name ?? '',
          serviceId: row.service_id,
          via: 'session',
        }
      : null;
  return { idHash, userId: row.user_id, displayName: row.display_name, actor, roleCount: Number(row.membership_count ?? 0), unreadMessages: Number(row.unread_messages ?? 0) };
}

export async function purgeExpiredSessions(db: Kysely<Schema>, timeouts: SessionTimeouts): Promise<number> {
  const idleCutoff = new Date(Date.now() - timeouts.sessionIdleMinutes * 60_000);
  const result = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
