import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import type { Role } from '../../platform/access/roles.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../shared/form.js';

/**
 * Notifications: what one person should know, in their inbox and (when SMTP is set up) by e-mail.
 * Whoever writes one is responsible for putting in it only what the recipient may see.
 */

type Db = Kysely<Schema> | Transaction<Schema>;

export interface NewNotification {
  kind: string;
  title: string;
  body: string;
  /** A path in the app, like /directory/services/…; e-mails link to it. */
  link?: string;
}

export async function notifyUsers(db: Db, userIds: string[], message: NewNotification): Promise<number> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return 0;
  await db
    .insertInto('notification')
    .values(unique.map((user_id) => ({ user_id, kind: message.kind, title: message.title.slice(0, 200), body: message.body.slice(0, 4000), link: message.link ?? null })))
    .execute();
  return unique.length;
}

/** The active users holding a role in an organisation. */
export async function membersWithRole(db: Db, organisationId: string, role: Role): Promise<string[]> {
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select('u.id')
    .where('m.organisation_id', '=', organisationId)
    .where('m.role', '=', role)
    .where('m.removed_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

export const INBOX_PAGE = 50;

export function inbox(db: Kysely<Schema>, actor: Actor, page: number) {
  return db
    .selectFrom('notification')
    .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at', sql<number>`count(*) over ()`.as('total')])
    .where('user_id', '=', actor.userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(INBOX_PAGE)
    .offset((page - 1) * INBOX_PAGE)
    .execute();
}

/** Opens one of the actor's own notifications, marking it read. Anyone else's is "not found". */
export async function openNotification(db: Kysely<Schema>, actor: Actor, id: string) {
  const row = isUuid(id)
    ? await db.selectFrom('notification').select(['id', 'title', 'body', 'link', 'created_at', 'read_at']).where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('message');
  if (!row.read_at) await db.updateTable('notification').set({ read_at: new Date() }).where('id', '=', id).where('read_at', 'is', null).execute();
  return { ...row, wasUnread: !row.read_at };
}

export async function markAllRead(db: Kysely<Schema>, actor: Actor): Promise<number> {
  const result = await db.updateTable('notification').set({ read_at: new Date() }).where('user_id', '=', actor.userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
