import { writeAudit } from '../../platform/audit/audit-service.js';
import { conflict, notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { londonDateTime, londonParts, readableLondonDate } from '../../shared/london-time.js';
import { CONTACT_MODES, CONTACT_STATUSES, CONTACT_TYPES, isOneOf, type ContactStatus } from '../../shared/vocabulary.js';
import { dateField } from '../people/people-service.js';
import { act, checkVersion, lockEpisode, requireCommand, stateOf, type CaseContext } from './casework-service.js';
import * as repo from './casework-repository.js';

/** Minutes of clock difference tolerated between "now" on the device and on the server. */
export const GRACE_MS = 5 * 60_000;

export interface ContactInput {
  startsAt: Date;
  mode: keyof typeof CONTACT_MODES;
  durationMinutes: number | null;
  practiceId: string | null;
  venue: string | null;
  status: ContactStatus;
  contactType: keyof typeof CONTACT_TYPES;
  notes: string | null;
  discretionReason: string | null;
}

function readContact(input: unknown, errors: FieldErrors, now: Date): ContactInput {
  const date = dateField(input, 'date', 'Date');
  const time = text(input, 'time');
  if (date.error) errors.date = date.error;
  else if (date.empty) errors.date = 'Enter the date of the contact';
  if (!/^([01]?\d|2[0-3]):[0-5]\d$/.test(time)) errors.time = 'Enter the time in 24-hour format, like 14:30';
  const startsAt = date.date && !errors.time ? londonDateTime(date.date, time) : new Date(NaN);

  const mode = text(input, 'mode');
  if (!isOneOf(CONTACT_MODES, mode)) errors.mode = 'Select how the contact happened';
  const status = text(input, 'status');
  if (!isOneOf(CONTACT_STATUSES, status)) errors.status = 'Select whether the contact is booked, attended, not attended or cancelled';
  const contactType = text(input, 'contactType');
  if (!isOneOf(CONTACT_TYPES, contactType)) errors.contactType = 'Select the type of contact';

  const durationText = text(input, 'durationMinutes');
  let durationMinutes: number | null = null;
  if (durationText) {
    durationMinutes = /^\d+$/.test(durationText) ? Number(durationText) : NaN;
    if (!Number.isInteger(durationMinutes) || durationMinutes < 1 || durationMinutes > 600) errors.durationMinutes = 'Length must be a whole number of minutes from 1 to 600';
  } else if (status === 'attended') {
    errors.durationMinutes = 'Enter how long the contact lasted, in minutes';
  }
  const practiceId = text(input, 'practiceId');
  if (mode === 'practice' && !practiceId) errors.practiceId = 'Select the practice where the contact happened';
  const venue = text(input, 'venue');
  if (venue.length > 200) errors.venue = 'Venue must be 200 characters or fewer';
  const notes = text(input, 'notes');
  if (notes.length > 5000) errors.notes = 'Notes must be 5,000 characters or fewer';
  const discretionReason = text(input, 'discretionReason');
  if (discretionReason.length > 500) errors.discretionReason = 'Reason must be 500 characters or fewer';

  if (!Number.isNaN(startsAt.getTime()) && isOneOf(CONTACT_STATUSES, status)) {
    if (status === 'booked' && startsAt.getTime() < now.getTime() - GRACE_MS) errors.date = 'A booked contact must be in the future. Record one that has happened as attended, not attended or cancelled';
    if ((status === 'attended' || status === 'did_not_attend') && startsAt.getTime() > now.getTime() + GRACE_MS) {
      errors.date = 'A contact that has happened cannot be in the future. Book it instead';
    }
  }
  return {
    startsAt,
    mode: mode as ContactInput['mode'],
    durationMinutes: Number.isNaN(durationMinutes) ? null : durationMinutes,
    practiceId: mode === 'practice' ? practiceId : practiceId || null,
    venue: venue || null,
    status: status as ContactStatus,
    contactType: contactType as ContactInput['contactType'],
    notes: notes || null,
    discretionReason: discretionReason || null,
  };
}

export type DiscretionKind = 'extra_contact' | 'longer_contact' | 'beyond_period';

/** Which parts of the service's standard offer a contact would go beyond. */
export function beyondStandardOffer(
  settings: { standard_contacts: number; standard_weeks: number; standard_contact_minutes: number },
  contact: { startsAt: Date; durationMinutes: number | null; counts: boolean },
  episode: { contactsSoFar: number; startedAt: Date },
): DiscretionKind[] {
  const kinds: DiscretionKind[] = [];
  if (contact.counts && episode.contactsSoFar + 1 > settings.standard_contacts) kinds.push('extra_contact');
  if (contact.durationMinutes !== null && contact.durationMinutes > settings.standard_contact_minutes) kinds.push('longer_contact');
  if (contact.counts && contact.startsAt.getTime() > episode.startedAt.getTime() + settings.standard_weeks * 7 * 86_400_000) kinds.push('beyond_period');
  return kinds;
}

export const DISCRETION_LABELS = {
  extra_contact: 'more contacts than the standard offer',
  longer_contact: 'a longer contact than the standard length',
  beyond_period: 'beyond the standard period of support',
} as const satisfies Record<DiscretionKind, string>;

/** Records a contact (or books one). Going beyond the standard offer asks for a one-line reason and records a discretion. */
export async function recordContact(ctx: CaseContext, episodeId: string, input: unknown, now = new Date()) {
  const serviceId = ctx.actor.serviceId;
  if (!serviceId || !isUuid(episodeId)) throw notFound('episode');
  const errors: FieldErrors = {};
  const contact = readContact(input, errors, now);
  if (contact.practiceId) {
    const practice = isUuid(contact.practiceId)
      ? await ctx.db.selectFrom('organisation').select(['id', 'kind', 'service_id']).where('id', '=', contact.practiceId).executeTakeFirst()
      : undefined;
    if (!practice || practice.kind !== 'gp_practice' || practice.service_id !== serviceId) errors.practiceId = 'Select a practice of this service';
  }
  if (Object.keys(errors).length) throw validationFailed(errors);

  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    requireCommand(state, 'record_contact');
    const { receivedAt, settings, attended } = await repo.contactChecks(trx, serviceId, episode.id);
    // By England's calendar: a referral received at 00:30 BST is received that day, not the day before.
    if (londonParts(contact.startsAt).date < londonParts(receivedAt).date) {
      throw validationFailed({ date: `A contact cannot be before the referral was received on ${readableLondonDate(receivedAt)}` });
    }
    const counts = contact.status === 'attended' || contact.status === 'booked';
    const kinds = beyondStandardOffer(settings, { startsAt: contact.startsAt, durationMinutes: contact.durationMinutes, counts }, {
      contactsSoFar: attended,
      startedAt: state.firstContactAt ?? episode.opened_at,
    });
    if (kinds.length && !contact.discretionReason) {
      const offer = `up to ${settings.standard_contacts} contacts of ${settings.standard_contact_minutes} minutes within ${settings.standard_weeks} weeks`;
      throw validationFailed({
        discretionReason: `This goes beyond the service’s standard offer (${offer}): ${kinds.map((k) => DISCRETION_LABELS[k]).join(' and ')}. Give a one-line reason. It is recorded as a discretion`,
      });
    }
    const contactId = await repo.insertContact(trx, {
      service_id: serviceId,
      episode_id: episode.id,
      starts_at: contact.startsAt,
      mode: contact.mode,
      duration_minutes: contact.durationMinutes,
      practice_id: contact.practiceId,
      venue: contact.venue,
      status: contact.status,
      contact_type: contact.contactType,
      notes: contact.notes,
      recorded_by_user_id: ctx.actor.userId,
      link_worker_user_id: episode.link_worker_user_id,
    });
    for (const kind of kinds) {
      await repo.insertDiscretion(trx, { serviceId, episodeId: episode.id, contactId, kind, reason: contact.discretionReason!, userId: ctx.actor.userId });
    }
    if (contact.status === 'attended' && !state.firstContactAt) {
      await act(trx, ctx, episode, 'first_contact', { occurredAt: contact.startsAt });
    } else {
      // No action was appended, so the state read under the lock is still the state.
      await repo.refreshEpisode(trx, episode.id, state);
    }
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'contact.create',
      recordType: 'person',
      recordId: episode.person_id,
      serviceId,
      requestId: ctx.requestId,
      detail: { episode_id: episode.id, contact_id: contactId, status: contact.status, discretions: kinds.length },
    });
    return { contactId, discretions: kinds };
  });
}

/** Records what happened at a booked contact. */
export async function recordOutcome(ctx: CaseContext, episodeId: string, contactId: string, input: unknown, now = new Date()) {
  const serviceId = ctx.actor.serviceId;
  if (!serviceId || !isUuid(contactId)) throw notFound('contact');
  const status = text(input, 'status');
  const durationText = text(input, 'durationMinutes');
  const notes = text(input, 'notes');
  const errors: FieldErrors = {};
  if (!['attended', 'did_not_attend', 'cancelled'].includes(status)) errors.status = 'Select whether the person attended, did not attend, or the contact was cancelled';
  const duration = durationText ? Number(durationText) : null;
  if (durationText && (!/^\d+$/.test(durationText) || duration! < 1 || duration! > 600)) errors.durationMinutes = 'Length must be a whole number of minutes from 1 to 600';
  if (status === 'attended' && !durationText) errors.durationMinutes = 'Enter how long the contact lasted, in minutes';
  if (notes.length > 5000) errors.notes = 'Notes must be 5,000 characters or fewer';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const { episode, state } = await lockEpisode(trx, ctx, episodeId);
    checkVersion(input, episode.version);
    requireCommand(state, 'record_contact');
    const contact = await repo.findContact(trx, serviceId, contactId);
    if (!contact || contact.episode_id !== episode.id) throw notFound('contact');
    if (contact.status !== 'booked') throw conflict('This contact has already been recorded.');
    if (status !== 'cancelled' && contact.starts_at.getTime() > now.getTime() + GRACE_MS) {
      throw validationFailed({ status: 'This contact is still in the future. It can be cancelled, or recorded once it has happened' });
    }
    await repo.setContactOutcome(trx, contactId, { status, duration_minutes: duration, notes: notes || contact.notes });
    if (status === 'attended' && !state.firstContactAt) await act(trx, ctx, episode, 'first_contact', { occurredAt: contact.starts_at });
    else await repo.refreshEpisode(trx, episode.id, await stateOf(trx, episode.id));
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'contact.update',
      recordType: 'person',
      recordId: episode.person_id,
      serviceId,
      requestId: ctx.requestId,
      detail: { episode_id: episode.id, contact_id: contactId, status },
    });
  });
}
