import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { conflict, notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { CLOSE_REASONS, HOLDING_REASONS, SNOMED, isOneOf, type CloseReason } from '../../shared/vocabulary.js';
import { isLinkWorkerOf } from '../referrals/referral-repository.js';
import { canDo, episodeState, type EpisodeActionKind, type EpisodeCommand, type EpisodeState } from './episode-lifecycle.js';
import * as repo from './casework-repository.js';
import { recordHoldingGap } from '../directory/gap-register.js';
import { todayInLondon } from '../../shared/dates.js';
import { readableLondonTime } from '../../shared/london-time.js';

type Tx = Transaction<Schema>;
type Db = Kysely<Schema>;

export interface CaseContext {
  db: Db;
  actor: Actor;
  requestId: string;
}

/** The state of an episode from its action rows as the repository returns them. */
export const stateFromActions = (actions: Awaited<ReturnType<typeof repo.listEpisodeActions>>): EpisodeState =>
  episodeState(
    actions.map((a) => ({
      kind: a.kind,
      occurredAt: a.occurred_at,
      holdingReason: a.holding_reason as never,
      closeReason: a.close_reason as never,
      linkWorkerUserId: a.link_worker_user_id,
      snomedCode: a.snomed_code,
      note: a.note,
    })),
  );

const stateOf = async (db: Db | Tx, episodeId: string): Promise<EpisodeState> => stateFromActions(await repo.listEpisodeActions(db, episodeId));

/** Opens an episode for an accepted referral (called by triage, inside its transaction). */
export async function openEpisode(
  trx: Tx,
  values: { serviceId: string; personId: string; referralId: string; linkWorkerUserId: string; actorUserId: string },
): Promise<string> {
  const episodeId = await repo.insertEpisode(trx, values);
  await repo.insertEpisodeAction(trx, { serviceId: values.serviceId, episodeId, kind: 'opened', actorUserId: values.actorUserId, linkWorkerUserId: values.linkWorkerUserId });
  await repo.refreshEpisode(trx, episodeId, await stateOf(trx, episodeId));
  return episodeId;
}

/** The episode of the actor's service, locked, with its current state; not found for any other service. */
async function lockEpisode(trx: Tx, ctx: CaseContext, episodeId: string) {
  const episode = isUuid(episodeId) && ctx.actor.serviceId ? await repo.findEpisode(trx, ctx.actor.serviceId, episodeId, true) : undefined;
  if (!episode) throw notFound('episode');
  return { episode, state: await stateOf(trx, episodeId) };
}

/** Refuses a change made from a page that was out of date (someone else acted on the episode since). */
function checkVersion(input: unknown, version: number) {
  const sent = text(input, 'version');
  if (sent && Number(sent) !== version) {
    throw conflict('Someone else changed this episode since you opened it. Check what changed, then try again.');
  }
}

function requireCommand(state: EpisodeState, command: EpisodeCommand) {
  if (!canDo(state.status, command)) {
    const messages: Partial<Record<EpisodeCommand, string>> = {
      record_contact: 'This episode is closed. Re-open it to record a contact.',
      start_holding: 'This person is already being held, or the episode is closed.',
      end_holding: 'This person is not being held.',
      close: 'This episode is already closed.',
      reopen: 'Only a closed episode can be re-opened.',
      reallocate: 'A closed episode cannot be reallocated. Re-open it first.',
    };
    throw conflict(messages[command] ?? 'That cannot be done to this episode now.');
  }
}

async function act(
  trx: Tx,
  ctx: CaseContext,
  episode: { id: string; person_id: string },
  kind: EpisodeActionKind,
  extra: Omit<Parameters<typeof repo.insertEpisodeAction>[1], 'serviceId' | 'episodeId' | 'kind' | 'actorUserId'> = {},
) {
  const serviceId = ctx.actor.serviceId!;
  await repo.insertEpisodeAction(trx, { serviceId, episodeId: episode.id, kind, actorUserId: ctx.actor.userId, ...extra });
  const state = await stateOf(trx, episode.id);
  await repo.refreshEpisode(trx, episode.id, state);
  await writeAudit(trx, {
    actor: ctx.actor,
    action: `episode.${kind}`,
    recordType: 'person',
    recordId: episode.person_id,
    serviceId,
    requestId: ctx.requestId,
    detail: { episode_id: episode.id },
  });
  return state;
}

// ——— Holding ———

export async function startHolding(ctx: CaseContext, episodeId: string, input: unknown) {
  const reason = text(input, 'holdingReason');
  const note = text(input, 'note');
  const errors: FieldErrors = {};
  if (!isOneOf(HOLDING_REASONS, reason)) errors.holdingReason = 'Select why you are holding this person';
  if (note.length > 1000) errors.note = 'Note must be 1,000 characters or fewer';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'start_holding');
    const next = await act(trx, ctx, episode, 'holding_started', { holdingReason: reason, note: note || null });
    // Holding for want of provision is a gap in provision: it goes on the register.
    if (reason === 'no_provision') await recordHoldingGap(trx, ctx.actor, episode.id, note || null);
    return next;
  });
}

export async function endHolding(ctx: CaseContext, episodeId: string, input: unknown) {
  const note = text(input, 'note');
  if (note.length > 1000) throw validationFailed({ note: 'Note must be 1,000 characters or fewer' });
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'end_holding');
    return act(trx, ctx, episode, 'holding_ended', { note: note || null });
  });
}

// ——— Closing and re-opening ———

/**
 * The SNOMED CT code the practice records: the referral accepted, unless the person declined
 * social prescribing without ever taking part.
 */
export function snomedForClosing(reason: CloseReason, hadFirstContact: boolean) {
  return reason === 'declined_support' && !hadFirstContact ? SNOMED.declined : SNOMED.referralAccepted;
}

export async function closeEpisode(ctx: CaseContext, episodeId: string, input: unknown) {
  const reason = text(input, 'closeReason');
  const summary = text(input, 'summary');
  const errors: FieldErrors = {};
  if (!isOneOf(CLOSE_REASONS, reason)) errors.closeReason = 'Select why the episode is closing';
  if (!summary) errors.summary = 'Write a short summary for the referrer: what support the person was connected to and how it went, without case notes';
  else if (summary.length > 2000) errors.summary = 'Summary must be 2,000 characters or fewer';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'close');
    // A contact that has happened but has no outcome would be lost from the count once the episode is closed.
    const now = new Date();
    const unrecorded = await repo.findDueBookedContact(trx, episode.service_id, episode.id, now);
    if (unrecorded) {
      throw validationFailed({ contacts: `Record what happened at the contact booked for ${readableLondonTime(unrecorded.starts_at)} (attended, did not attend or cancelled), then close the episode` });
    }
    const snomed = snomedForClosing(reason as CloseReason, state.firstContactAt !== null);
    const next = await act(trx, ctx, episode, 'closed', { closeReason: reason, note: summary, snomedCode: snomed.code });
    // Contacts booked for after today would stay in the link worker's diary for someone no longer supported.
    await repo.cancelBookedContacts(trx, episode.service_id, episode.id, now, 'Cancelled: the episode was closed');
    // A follow-up about 12 months on (service setting), to see what lasted.
    const settings = await repo.findSettings(trx, episode.service_id);
    const due = new Date();
    due.setMonth(due.getMonth() + settings.follow_up_months);
    await trx
      .insertInto('task')
      .values({
        service_id: episode.service_id,
        episode_id: episode.id,
        assigned_user_id: episode.link_worker_user_id,
        kind: 'follow_up',
        title: `${settings.follow_up_months}-month follow-up after closing`,
        due_on: todayInLondon(due),
        generated_key: `follow_up:${episode.id}:${next.closedAt!.toISOString()}`,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return next;
  });
}

export async function reopenEpisode(ctx: CaseContext, episodeId: string, input: unknown) {
  const note = text(input, 'note');
  if (!note) throw validationFailed({ note: 'Say why the episode is being re-opened' });
  if (note.length > 1000) throw validationFailed({ note: 'Note must be 1,000 characters or fewer' });
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'reopen');
    await trx.updateTable('task').set({ done_at: new Date(), done_by_user_id: ctx.actor.userId }).where('service_id', '=', episode.service_id).where('episode_id', '=', episode.id).where('kind', '=', 'follow_up').where('done_at', 'is', null).execute();
    return act(trx, ctx, episode, 'reopened', { note });
  });
}

// ——— Reallocation ———

export async function reallocate(ctx: CaseContext, episodeId: string, input: unknown) {
  const linkWorkerUserId = text(input, 'linkWorkerUserId');
  const serviceId = ctx.actor.serviceId!;
  if (!isUuid(linkWorkerUserId) || !(await isLinkWorkerOf(ctx.db, serviceId, linkWorkerUserId))) {
    throw validationFailed({ linkWorkerUserId: 'Select a link worker of this service' });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'reallocate');
    if (episode.link_worker_user_id === linkWorkerUserId) throw validationFailed({ linkWorkerUserId: 'This person is already allocated to that link worker' });
    await repo.setLinkWorker(trx, episode.id, linkWorkerUserId);
    await trx
      .updateTable('task')
      .set({ assigned_user_id: linkWorkerUserId })
      .where('service_id', '=', episode.service_id)
      .where('episode_id', '=', episode.id)
      .where('assigned_user_id', '=', episode.link_worker_user_id)
      .where('done_at', 'is', null)
      .execute();
    // So are the contacts booked with the old link worker: the new one's diary shows them.
    await repo.moveBookedContacts(trx, episode.service_id, episode.id, episode.link_worker_user_id, linkWorkerUserId, new Date());
    return act(trx, ctx, episode, 'reallocated', { linkWorkerUserId });
  });
}

// ——— Reading ———

/** Which service an episode belongs to, for the audit trail's policy check. */
export const episodeTenant = (db: Db, episodeId: string) => repo.findEpisodeTenant(db, episodeId);

/**
 * An episode of the service with the little about its person that work from it needs (first name,
 * consent to share with providers): for connections and measures. Another service's is "not found".
 */
export async function episodeWithPerson(db: Db | Transaction<Schema>, serviceId: string, episodeId: string) {
  const episode = isUuid(episodeId)
    ? await db
        .selectFrom('episode as e')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['e.id', 'e.service_id', 'e.person_id', 'e.status', 'e.link_worker_user_id', 'p.given_name', 'p.preferred_name', 'p.consent_share_providers'])
        .where('e.id', '=', episodeId)
        .where('e.service_id', '=', serviceId)
        .executeTakeFirst()
    : undefined;
  if (!episode) throw notFound('episode');
  return episode;
}

export async function getSettings(db: Db, serviceId: string) {
  return repo.findSettings(db, serviceId);
}

const SETTING_RANGES = {
  standard_contacts: [1, 100, 'Standard number of contacts'],
  standard_weeks: [1, 104, 'Standard length of support in weeks'],
  standard_contact_minutes: [5, 480, 'Standard contact length in minutes'],
  no_contact_days: [1, 365, 'Days without contact before a reminder'],
  review_weeks: [1, 52, 'Weeks between plan reviews'],
  follow_up_months: [1, 36, 'Months after closing for the follow-up'],
  referral_expiry_days: [1, 90, 'Days a provider has to answer a referral'],
  signpost_follow_up_days: [1, 90, 'Days after a signpost to ask whether the person went'],
} as const;

/** The service's standard offer and reminder intervals. */
export async function saveServiceSettings(ctx: CaseContext, input: unknown) {
  const errors: FieldErrors = {};
  const values = {} as Record<keyof typeof SETTING_RANGES, number>;
  for (const [field, [min, max, label]] of Object.entries(SETTING_RANGES) as [keyof typeof SETTING_RANGES, readonly [number, number, string]][]) {
    const raw = text(input, field);
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) errors[field] = `${label} must be a whole number from ${min} to ${max}`;
    values[field] = value;
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  const serviceId = ctx.actor.serviceId!;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.saveSettings(trx, serviceId, values);
    await writeAudit(trx, { actor: ctx.actor, action: 'service.configure', recordType: 'organisation', recordId: serviceId, serviceId, requestId: ctx.requestId });
  });
}

export { lockEpisode, stateOf, checkVersion, requireCommand, act };
