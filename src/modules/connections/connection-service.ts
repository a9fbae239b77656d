import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { conflict, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { isOneOf } from '../../shared/vocabulary.js';
import { findSettings } from '../casework/casework-repository.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { membersWithRole, notifyUsers } from '../notifications/notification-service.js';
import { CONNECTION_KINDS, connectionState, DECLINE_REASONS, mayAct, type ConnectionActionKind, type ConnectionActionRecord, type ConnectionKind, type ConnectionStatus, type Side } from './connection-lifecycle.js';
import { todayInLondon } from '../../shared/dates.js';
import { dateField } from '../people/people-service.js';

/**
 * Connecting a person to a community service, and the closed loop with its provider. Every change
 * is an action in the connection's log, with the status written beside it in the same transaction.
 */

type Db = Kysely<Schema>;
type Tx = Transaction<Schema>;

export interface ConnectionContext {
  db: Db;
  actor: Actor;
  requestId: string;
}

const day = 86_400_000;

/** A directory service as a connection sees it: can it take a referral, and whose providers answer. */
export async function connectableService(db: Db | Tx, directoryServiceId: string) {
  const service = isUuid(directoryServiceId)
    ? await db
        .selectFrom('directory_service as s')
        .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
        .select(['s.id', 's.name', 's.status', 's.referral_mode', 'o.name as organisation_name', 'o.organisation_id'])
        .where('s.id', '=', directoryServiceId)
        .executeTakeFirst()
    : undefined;
  if (!service) return undefined;
  const active = service.status === 'active' || service.status === 'online_only';
  return {
    ...service,
    active,
    /** Referrals go through Anchorpoint only to a service that takes them and has provider staff here. */
    takesReferrals: active && service.referral_mode === 'anchorpoint_referral' && Boolean(service.organisation_id),
  };
}

export async function createConnection(ctx: ConnectionContext, episodeId: string, input: unknown): Promise<string> {
  const serviceId = ctx.actor.serviceId!;
  const episode = await episodeWithPerson(ctx.db, serviceId, episodeId);
  const errors: FieldErrors = {};
  const target = await connectableService(ctx.db, text(input, 'directoryServiceId'));
  const kind = text(input, 'kind');
  const reason = text(input, 'reason');
  const sharedNote = text(input, 'sharedNote');
  const shareContact = ['yes', 'true', 'on'].includes(text(input, 'shareContact'));
  if (episode.status === 'closed') errors.form = 'This episode is closed: re-open it to connect the person to a service';
  if (!target) errors.directoryServiceId = 'Choose a service from the directory';
  if (!isOneOf(CONNECTION_KINDS, kind)) errors.kind = 'Select how you are connecting them: signpost, referral or introduction';
  else if (target && !target.active && kind !== 'signpost') errors.kind = `${target.name} is ${target.status === 'paused' ? 'paused' : 'closed'}: you can only signpost to it`;
  else if (target && kind === 'referral' && !target.takesReferrals) errors.kind = `${target.name} does not take referrals through Anchorpoint: signpost or introduce instead`;
  if (!reason) errors.reason = 'Say why you are connecting them to this service';
  else if (reason.length > 1000) errors.reason = 'Why this service must be 1,000 characters or fewer';
  if (sharedNote.length > 2000) errors.sharedNote = 'What to share with the provider must be 2,000 characters or fewer';
  if (shareContact && !episode.consent_share_providers) errors.shareContact = `${episode.preferred_name || episode.given_name} has not agreed to share their details with providers: record their consent first`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  const settings = await findSettings(ctx.db, serviceId);
  const now = new Date();
  return ctx.db.transaction().execute(async (trx) => {
    const referral = kind === 'referral';
    const row = await trx
      .insertInto('connection')
      .values({
        service_id: serviceId,
        episode_id: episode.id,
        person_id: episode.person_id,
        directory_service_id: target!.id,
        provider_organisation_id: target!.organisation_id,
        kind,
        status: referral ? 'referred' : 'suggested',
        reason,
        shared_note: sharedNote || null,
        share_contact: shareContact,
        created_by_user_id: ctx.actor.userId,
        referred_at: referral ? now : null,
        expires_at: referral ? new Date(now.getTime() + settings.referral_expiry_days * day) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('connection_action')
      .values([
        { connection_id: row.id, kind: 'suggested', side: 'link_worker', actor_user_id: ctx.actor.userId },
        ...(referral ? [{ connection_id: row.id, kind: 'referred', side: 'link_worker', actor_user_id: ctx.actor.userId }] : []),
      ])
      .execute();
    if (referral) {
      await notifyUsers(trx, await membersWithRole(trx, target!.organisation_id!, 'provider'), {
        kind: 'connection.referred',
        title: `New referral to ${target!.name}`,
        body: `A social prescribing link worker has referred someone to ${target!.name}. Please accept or decline it within ${settings.referral_expiry_days} days.`,
        link: `/provider/referrals/${row.id}`,
      });
    } else {
      const due = todayInLondon(new Date(now.getTime() + settings.signpost_follow_up_days * day));
      await trx
        .insertInto('task')
        .values({
          service_id: serviceId,
          episode_id: episode.id,
          assigned_user_id: episode.link_worker_user_id,
          kind: 'signpost_follow_up',
          title: `Did ${episode.preferred_name || episode.given_name} go to ${target!.name}?`,
          due_on: due,
          generated_key: `signpost:${row.id}`,
        })
        .execute();
    }
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'connection.create',
      recordType: 'person',
      recordId: episode.person_id,
      serviceId,
      requestId: ctx.requestId,
      detail: { connection_id: row.id, kind, shared_contact: shareContact },
    });
    return row.id;
  });
}

export async function connectionActions(db: Db | Tx, connectionId: string) {
  return db
    .selectFrom('connection_action as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .select(['a.id', 'a.kind', 'a.side', 'a.occurred_at', 'a.reason', 'a.note', 'a.session_date', 'u.display_name as actor_name'])
    .where('a.connection_id', '=', connectionId)
    .orderBy('a.seq')
    .execute();
}

const toRecord = (a: { kind: string; occurred_at: Date; side: string; reason: string | null; session_date: string | null }): ConnectionActionRecord => ({
  kind: a.kind as ConnectionActionKind,
  occurredAt: a.occurred_at,
  side: a.side as Side,
  reason: a.reason,
  sessionDate: a.session_date,
});

/** Reads and checks one action's input; the errors name the fields on the page. */
function readAction(kind: ConnectionActionKind, input: unknown, today: string): { reason: string | null; note: string | null; sessionDate: string | null } {
  const errors: FieldErrors = {};
  const reason = text(input, 'reason');
  const note = text(input, 'note');
  if (note.length > 2000) errors.note = 'The note must be 2,000 characters or fewer';
  if (kind === 'declined') {
    if (!isOneOf(DECLINE_REASONS, reason)) errors.reason = 'Select why you are declining the referral';
    else if (reason === 'other' && !note) errors.note = 'Say why you are declining the referral';
  }
  if (kind === 'message' && !note) errors.note = 'Write your message';
  // Attendance is for one session: its date, from the page's day, month and year boxes or the API's ISO date.
  const session = kind === 'attended' || kind === 'missed' ? dateField(input, 'sessionDate', 'Session date') : { empty: true };
  if (kind === 'attended' || kind === 'missed') {
    if (session.error) errors.sessionDate = session.error;
    else if (session.empty) errors.sessionDate = 'Enter the date of the session';
    else if (session.date! > today) errors.sessionDate = 'The session date must be today or in the past';
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { reason: reason ? reason.slice(0, 100) : null, note: note || null, sessionDate: session.date ?? null };
}

export interface ConnectionTarget {
  id: string;
  service_id: string;
  episode_id: string;
  person_id: string;
  kind: string;
  status: string;
  version: number;
  provider_organisation_id: string | null;
  directory_service_id: string;
}

/**
 * One step by the link worker's side or the provider. `version` is the one the user saw: if the
 * connection changed since (the link worker withdrew it a second before the provider accepted), nothing
 * is saved and they are told what happened.
 */
export async function actOnConnection(ctx: ConnectionContext, connection: ConnectionTarget, side: 'link_worker' | 'provider', kind: ConnectionActionKind, input: unknown): Promise<void> {
  const today = todayInLondon();
  const version = Number(text(input, 'version'));
  if (!mayAct(connection.status as ConnectionStatus, side, kind, connection.kind as ConnectionKind)) {
    throw conflict(`This connection is now “${connection.status.replace(/_/g, ' ')}”, so that can no longer be done. The page shows where it stands.`);
  }
  const details = readAction(kind, input, today);
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('connection').select(['version', 'status']).where('id', '=', connection.id).forUpdate().executeTakeFirstOrThrow();
    if ((Number.isInteger(version) && version > 0 && locked.version !== version) || locked.status !== connection.status) {
      throw conflict('Someone else changed this connection after you opened it. The page now shows what they did: check it and try again.');
    }
    await trx
      .insertInto('connection_action')
      .values({ connection_id: connection.id, kind, side, actor_user_id: ctx.actor.userId, reason: details.reason, note: details.note, session_date: details.sessionDate })
      .execute();
    const state = connectionState((await connectionActions(trx, connection.id)).map(toRecord));
    await trx
      .updateTable('connection')
      .set({
        status: state.status,
        responded_at: state.respondedAt,
        version: sql<number>`version + 1`,
        ...(side === 'provider' ? { link_worker_unread: true } : {}),
      })
      .where('id', '=', connection.id)
      .execute();
    await writeAudit(trx, {
      actor: ctx.actor,
      action: `connection.${kind}`,
      recordType: 'person',
      recordId: connection.person_id,
      serviceId: connection.service_id,
      requestId: ctx.requestId,
      detail: { connection_id: connection.id, side },
    });
    await tellTheOtherSide(trx, connection, side, kind);
  });
}

const PROVIDER_WORDS: Partial<Record<ConnectionActionKind, string>> = {
  accepted: 'accepted the referral',
  declined: 'declined the referral',
  started: 'recorded that the person has started',
  attended: 'recorded attendance',
  missed: 'recorded a missed session',
  stopped: 'recorded that the person stopped attending',
  did_not_start: 'recorded that the person did not start',
  ended: 'recorded that the support has ended',
  message: 'sent a message',
};

/** The link worker hears of the provider's replies; the provider of the link worker's messages and withdrawals. */
async function tellTheOtherSide(trx: Tx, connection: ConnectionTarget, side: Side, kind: ConnectionActionKind) {
  const service = await trx
    .selectFrom('directory_service as s')
    .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
    .select(['s.name', 'o.name as organisation_name'])
    .where('s.id', '=', connection.directory_service_id)
    .executeTakeFirstOrThrow();
  if (side === 'provider') {
    const episode = await trx.selectFrom('episode').select('link_worker_user_id').where('id', '=', connection.episode_id).executeTakeFirstOrThrow();
    await notifyUsers(trx, [episode.link_worker_user_id], {
      kind: `connection.${kind}`,
      title: `${service.name}: ${PROVIDER_WORDS[kind] ?? 'an update'}`,
      body: `${service.organisation_name} ${PROVIDER_WORDS[kind] ?? 'updated a referral'}.`,
      link: `/connections/${connection.id}`,
    });
  } else if (connection.kind === 'referral' && connection.provider_organisation_id && (kind === 'message' || kind === 'withdrawn')) {
    await notifyUsers(trx, await membersWithRole(trx, connection.provider_organisation_id, 'provider'), {
      kind: `connection.${kind}`,
      title: kind === 'withdrawn' ? `A referral to ${service.name} was withdrawn` : `A message about a referral to ${service.name}`,
      body: kind === 'withdrawn' ? 'The link worker has withdrawn the referral: there is nothing more to do.' : 'The link worker sent a message about a referral.',
      link: `/provider/referrals/${connection.id}`,
    });
  }
}

/** The referral sweep: unanswered referrals past their date expire, and the link worker gets a task. */
export async function expireReferrals(db: Db, now = new Date()): Promise<number> {
  const due = await db.selectFrom('connection').select(['id', 'service_id', 'episode_id', 'person_id', 'directory_service_id']).where('status', '=', 'referred').where('expires_at', '<', now).limit(1000).execute();
  for (const connection of due) {
    await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable('connection').set({ status: 'expired', version: sql<number>`version + 1` }).where('id', '=', connection.id).where('status', '=', 'referred').executeTakeFirst();
      if (!updated.numUpdatedRows) return;
      await trx.insertInto('connection_action').values({ connection_id: connection.id, kind: 'expired', side: 'system' }).execute();
      const episode = await trx
        .selectFrom('episode as e')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['e.link_worker_user_id', 'p.given_name', 'p.preferred_name'])
        .where('e.id', '=', connection.episode_id)
        .executeTakeFirstOrThrow();
      const service = await trx.selectFrom('directory_service').select('name').where('id', '=', connection.directory_service_id).executeTakeFirstOrThrow();
      await trx
        .insertInto('task')
        .values({
          service_id: connection.service_id,
          episode_id: connection.episode_id,
          assigned_user_id: episode.link_worker_user_id,
          kind: 'referral_expired',
          title: `${service.name} did not answer the referral for ${episode.preferred_name || episode.given_name}: follow it up or connect them elsewhere`,
          due_on: todayInLondon(now),
          generated_key: `referral_expired:${connection.id}`,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      await notifyUsers(trx, [episode.link_worker_user_id], {
        kind: 'connection.expired',
        title: `${service.name} did not answer a referral in time`,
        body: 'The referral has expired without a reply. There is a task for you to follow it up.',
        link: `/connections/${connection.id}`,
      });
      await writeAudit(trx, { actor: null, action: 'connection.expired', recordType: 'person', recordId: connection.person_id, serviceId: connection.service_id, detail: { connection_id: connection.id } });
    });
  }
  return due.length;
}

/** How a directory service answers referrals, over the last year: shown to link workers beside it. */
export async function responsiveness(db: Db, directoryServiceId: string) {
  const row = await db
    .selectFrom('connection')
    .select([
      sql<number>`count(*)`.as('referred'),
      sql<number>`count(*) filter (where responded_at is not null)`.as('answered'),
      sql<number>`count(*) filter (where status = 'expired' or exists (select 1 from connection_action a where a.connection_id = connection.id and a.kind = 'expired'))`.as('expired'),
      sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from responded_at - referred_at) / 86400.0)`.as('median_days'),
    ])
    .where('directory_service_id', '=', directoryServiceId)
    .where('kind', '=', 'referral')
    .where('referred_at', '>', sql<Date>`now() - interval '365 days'`)
    .executeTakeFirstOrThrow();
  return { referred: Number(row.referred), answered: Number(row.answered), expired: Number(row.expired), medianDays: row.median_days === null ? null : Math.round(Number(row.median_days) * 10) / 10 };
}
