import { randomInt } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { conflict, forbidden, notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { NEED_DOMAINS, URGENCIES, isOneOf, type NeedDomain } from '../../shared/vocabulary.js';
import { openEpisode } from '../casework/casework-service.js';
import { checkPractice, createPerson, findLikelyDuplicates, flag, readPersonDetails } from '../people/people-service.js';
import type { Voice } from '../people/person-validation.js';
import { ageOn, todayInLondon } from '../../shared/dates.js';
import { canTakeReferralAction, referralStatus, type ReferralActionKind } from './referral-lifecycle.js';
import * as repo from './referral-repository.js';

const LIMIT = 2000;
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A reference people can read out on the phone: no 0/O, 1/I/L or U. */
export function newReference(): string {
  const chars = Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]);
  return `AP-${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

function listField(input: unknown, field: string): string[] {
  const value = (input as Record<string, unknown> | undefined)?.[field];
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

interface ReferralFields {
  needDomains: NeedDomain[];
  helpWanted: string;
  risks: string | null;
  urgency: 'routine' | 'urgent';
  personAgreed: boolean;
}

/** Staff refer someone ("their"); on the public form the person asks for themselves ("your"). */
function readReferralFields(input: unknown, errors: FieldErrors, voice: Voice): ReferralFields {
  const domains = listField(input, 'needDomains');
  if (domains.length === 0) errors.needDomains = voice === 'your' ? 'Select at least one thing you would like help with' : 'Select at least one reason for the referral';
  else if (!domains.every((d) => isOneOf(NEED_DOMAINS, d))) errors.needDomains = 'Select reasons from the list';
  const helpWanted = text(input, 'helpWanted');
  if (!helpWanted) errors.helpWanted = voice === 'your' ? 'Tell us a little about what you would like help with' : 'Say what the person would like help with';
  else if (helpWanted.length > LIMIT) errors.helpWanted = `${voice === 'your' ? 'What you would like help with' : 'What the person would like help with'} must be ${LIMIT.toLocaleString('en-GB')} characters or fewer`;
  const risks = text(input, 'risks');
  if (risks.length > LIMIT) errors.risks = `Risks must be ${LIMIT.toLocaleString('en-GB')} characters or fewer`;
  const urgency = text(input, 'urgency') || 'routine';
  if (!isOneOf(URGENCIES, urgency)) errors.urgency = 'Select how urgent the referral is';
  const personAgreed = flag(input, 'personAgreed');
  if (voice === 'their' && !personAgreed) errors.personAgreed = 'Confirm the person has agreed to be referred. Do not refer someone who has not agreed';
  return {
    needDomains: domains.filter((d): d is NeedDomain => isOneOf(NEED_DOMAINS, d)),
    helpWanted,
    risks: risks || null,
    urgency: urgency === 'urgent' ? 'urgent' : 'routine',
    personAgreed,
  };
}

async function insertWithReference(trx: Transaction<Schema>, referral: Omit<repo.NewReferral, 'reference'>) {
  for (let attempt = 0; ; attempt++) {
    const reference = newReference();
    const taken = await trx.selectFrom('referral').select('id').where('reference', '=', reference).executeTakeFirst();
    if (taken && attempt < 5) continue;
    const id = await repo.insertReferral(trx, { ...referral, reference });
    return { id, reference };
  }
}

export interface ReferralCreated {
  id: string;
  reference: string;
  /** True when the same submission had already been received (idempotency key) and nothing new was made. */
  repeated: boolean;
}

/**
 * A referral from a practice or another agency, for a person who agreed to it. The person is
 * matched to an existing record of the service by NHS number; otherwise a new record is made.
 */
export async function createReferral(db: Kysely<Schema>, actor: Actor, input: unknown, requestId: string): Promise<ReferralCreated> {
  const serviceId = actor.serviceId;
  if (!serviceId) throw forbidden();
  const fromPractice = actor.organisationKind === 'gp_practice';
  const errors: FieldErrors = {};
  const person = readPersonDetails(input, fromPractice, errors);
  const fields = readReferralFields(input, errors, 'their');
  const referrer = {
    name: text(input, 'referrerName') || actor.displayName,
    role: text(input, 'referrerRole') || null,
    contact: text(input, 'referrerContact') || null,
  };
  if (!fromPractice && !referrer.contact) errors.referrerContact = 'Say how the link worker can contact you about this referral';
  for (const [field, value] of [['referrerRole', referrer.role], ['referrerContact', referrer.contact]] as const) {
    if (value && value.length > 200) errors[field] = `${field === 'referrerRole' ? 'Your role' : 'How to contact you'} must be 200 characters or fewer`;
  }
  const namedPractice = text(input, 'registeredPracticeId');
  if (fromPractice && namedPractice && namedPractice !== actor.organisationId) {
    errors.registeredPracticeId = `You can only refer patients registered at ${actor.organisationName}`;
  }
  const practiceId = fromPractice ? actor.organisationId : await checkPractice(db, serviceId, input, 'registeredPracticeId', errors);
  const idempotencyKey = text(input, 'idempotencyKey') || null;
  if (idempotencyKey && !/^[A-Za-z0-9_-]{8,64}$/.test(idempotencyKey)) errors.idempotencyKey = 'Idempotency key must be 8 to 64 letters, digits, - or _';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return onceOnly(db, serviceId, idempotencyKey, () => db.transaction().execute(async (trx) => {
    const existing = person.nhsNumber ? (await findLikelyDuplicates(trx, serviceId, { ...person, dateOfBirth: null })).find((p) => p.nhs_number === person.nhsNumber) : undefined;
    const personId = existing?.id ?? (await createPerson(trx, serviceId, { ...person, consentReferral: true }, practiceId));
    const { id, reference } = await insertWithReference(trx, {
      serviceId,
      personId,
      source: fromPractice ? 'practice' : 'agency',
      referringOrganisationId: actor.organisationId,
      referredByUserId: actor.userId,
      referrerName: referrer.name,
      referrerRole: referrer.role,
      referrerContact: referrer.contact,
      ...fields,
      idempotencyKey,
    });
    await repo.insertReferralAction(trx, { serviceId, referralId: id, kind: 'received', actorUserId: actor.userId });
    await writeAudit(trx, {
      actor,
      action: 'referral.create',
      recordType: 'person',
      recordId: personId,
      serviceId,
      requestId,
      detail: { referral_id: id, matched_existing_person: Boolean(existing) },
    });
    return { id, reference, repeated: false };
  }));
}

/**
 * A submission carrying an idempotency key creates at most one referral: a repeat (double click,
 * retry after a lost response) gets the first one back, even when both arrive at the same moment.
 */
export async function onceOnly(db: Kysely<Schema>, serviceId: string, key: string | null, create: () => Promise<ReferralCreated>): Promise<ReferralCreated> {
  const earlier = key ? await repo.findByIdempotencyKey(db, serviceId, key) : undefined;
  if (earlier) return { id: earlier.id, reference: earlier.reference, repeated: true };
  try {
    return await create();
  } catch (error) {
    const raced = key && (error as { code?: string }).code === '23505' ? await repo.findByIdempotencyKey(db, serviceId, key) : undefined;
    if (raced) return { id: raced.id, reference: raced.reference, repeated: true };
    throw error;
  }
}

/** The practices people can choose from on the public self-referral form, with the service that serves each. */
export const practicesForSelfReferral = (db: Kysely<Schema>) =>
  db
    .selectFrom('organisation as p')
    .innerJoin('organisation as s', 's.id', 'p.service_id')
    .select(['p.id', 'p.name', 'p.service_id', 's.name as service_name'])
    .where('p.kind', '=', 'gp_practice')
    .where('p.disabled_at', 'is', null)
    .where('s.disabled_at', 'is', null)
    .orderBy('p.name')
    .execute();

/** The public page says who can ask, and the form holds to it. Referrals from practices and agencies are not limited here: triage decides. */
export const SELF_REFERRAL_MINIMUM_AGE = 18;

/**
 * A self-referral from the public page, without an account. The person's GP practice decides which
 * service receives it. Their agreement to be contacted is the consent to the referral.
 */
export async function createSelfReferral(db: Kysely<Schema>, input: unknown, requestId: string): Promise<ReferralCreated> {
  const errors: FieldErrors = {};
  const practiceId = text(input, 'registeredPracticeId');
  const practice = isUuid(practiceId)
    ? await db.selectFrom('organisation').select(['id', 'service_id', 'kind']).where('id', '=', practiceId).where('kind', '=', 'gp_practice').executeTakeFirst()
    : undefined;
  if (!practice?.service_id) errors.registeredPracticeId = 'Select your GP practice';
  const person = readPersonDetails(input, false, errors, 'your');
  if (person.dateOfBirth && !errors.dateOfBirth && ageOn(person.dateOfBirth, todayInLondon()) < SELF_REFERRAL_MINIMUM_AGE) {
    errors.dateOfBirth = `You need to be ${SELF_REFERRAL_MINIMUM_AGE} or over to ask for a link worker here. Your GP practice can tell you about help for younger people, or call Childline free on 0800 1111`;
  }
  if (!person.phone && !person.email) errors.phone = 'Give a phone number or an email address so a link worker can contact you';
  const fields = readReferralFields(input, errors, 'your');
  if (!flag(input, 'agreeToContact')) errors.agreeToContact = 'Tick the box to say a link worker can contact you';
  const idempotencyKey = text(input, 'idempotencyKey') || null;
  if (idempotencyKey && !/^[A-Za-z0-9_-]{8,64}$/.test(idempotencyKey)) errors.idempotencyKey = 'Reload the page and try again';
  if (Object.keys(errors).length || !practice?.service_id) throw validationFailed(errors);
  const serviceId = practice.service_id;
  return onceOnly(db, serviceId, idempotencyKey, () =>
    db.transaction().execute(async (trx) => {
      const personId = await createPerson(trx, serviceId, { ...person, consentReferral: true }, practice.id);
      const { id, reference } = await insertWithReference(trx, {
        serviceId,
        personId,
        source: 'self',
        referringOrganisationId: null,
        referredByUserId: null,
        referrerName: null,
        referrerRole: null,
        referrerContact: null,
        ...fields,
        personAgreed: true,
        idempotencyKey,
      });
      await repo.insertReferralAction(trx, { serviceId, referralId: id, kind: 'received', actorUserId: null });
      await writeAudit(trx, { actor: null, action: 'referral.self', recordType: 'person', recordId: personId, serviceId, requestId, detail: { referral_id: id } });
      return { id, reference, repeated: false };
    }),
  );
}

// ——— Triage ———

export async function waitingList(db: Kysely<Schema>, actor: Actor, urgentOnly: boolean) {
  const rows = await repo.listWaiting(db, actor.serviceId!, { urgentOnly, limit: 500 });
  return rows.map(({ waiting_days, ...row }) => ({ ...row, waitingDays: waiting_days ?? 0 }));
}

/** A referral of the actor's own service, or not found: ids of other services' referrals reveal nothing. */
export async function getReferralForService(db: Kysely<Schema> | Transaction<Schema>, actor: Actor, referralId: string, lock = false) {
  const referral = isUuid(referralId) ? await repo.findReferral(db, referralId, lock) : undefined;
  if (!referral || referral.service_id !== actor.serviceId) throw notFound('referral');
  return referral;
}

export async function readReferralForTriage(db: Kysely<Schema>, actor: Actor, referralId: string, requestId: string) {
  return db.transaction().execute(async (trx) => {
    const referral = await getReferralForService(trx, actor, referralId);
    const actions = await repo.listReferralActions(trx, referralId);
    // Likely duplicates of the referred person: the manager can open the existing record instead.
    const duplicates = await findLikelyDuplicates(
      trx,
      referral.service_id,
      { nhsNumber: referral.nhs_number, givenName: referral.given_name, familyName: referral.family_name, dateOfBirth: referral.date_of_birth },
      referral.person_id,
    );
    await writeAudit(trx, { actor, action: 'referral.read', recordType: 'person', recordId: referral.person_id, serviceId: actor.serviceId, requestId, detail: { referral_id: referralId } });
    return { referral, actions, duplicates, status: referralStatus(actions.map((a) => ({ kind: a.kind, occurredAt: a.occurred_at }))) };
  });
}

export const linkWorkersOf = (db: Kysely<Schema>, serviceId: string) => repo.listLinkWorkers(db, serviceId);

export type TriageDecision = 'accept' | 'decline' | 'redirect';

/** Accept (allocating a link worker and opening an episode), decline with a reason, or redirect elsewhere. */
export async function triage(db: Kysely<Schema>, actor: Actor, referralId: string, decision: TriageDecision, input: unknown, requestId: string) {
  const serviceId = actor.serviceId!;
  const errors: FieldErrors = {};
  const reason = text(input, 'reason');
  const linkWorkerUserId = text(input, 'linkWorkerUserId');
  const redirectedTo = text(input, 'redirectedTo');
  if (decision === 'accept') {
    if (!linkWorkerUserId || !isUuid(linkWorkerUserId) || !(await repo.isLinkWorkerOf(db, serviceId, linkWorkerUserId))) {
      errors.linkWorkerUserId = 'Select the link worker who will support this person';
    }
  } else {
    if (!reason) errors.reason = decision === 'decline' ? 'Give the reason for declining the referral' : 'Give the reason for redirecting the referral';
    if (decision === 'redirect' && !redirectedTo) errors.redirectedTo = 'Say which service the person is being redirected to';
  }
  if (reason.length > 1000) errors.reason = 'Reason must be 1,000 characters or fewer';
  if (redirectedTo.length > 200) errors.redirectedTo = 'The service redirected to must be 200 characters or fewer';
  if (Object.keys(errors).length) throw validationFailed(errors);

  const kind: ReferralActionKind = decision === 'accept' ? 'accepted' : decision === 'decline' ? 'declined' : 'redirected';
  return db.transaction().execute(async (trx) => {
    const referral = await getReferralForService(trx, actor, referralId, true);
    const actions = await repo.listReferralActions(trx, referralId);
    const status = referralStatus(actions.map((a) => ({ kind: a.kind, occurredAt: a.occurred_at })));
    if (!canTakeReferralAction(status, kind)) throw conflict(`This referral has already been ${status}.`);
    let episodeId: string | null = null;
    if (decision === 'accept') {
      episodeId = await openEpisode(trx, { serviceId, personId: referral.person_id, referralId, linkWorkerUserId, actorUserId: actor.userId });
    }
    await repo.insertReferralAction(trx, {
      serviceId,
      referralId,
      kind,
      actorUserId: actor.userId,
      linkWorkerUserId: decision === 'accept' ? linkWorkerUserId : null,
      episodeId,
      reason: reason || null,
      redirectedTo: redirectedTo || null,
    });
    await repo.setReferralStatus(trx, referralId, kind);
    await writeAudit(trx, {
      actor,
      action: 'referral.triage',
      recordType: 'person',
      recordId: referral.person_id,
      serviceId,
      requestId,
      detail: { referral_id: referralId, decision: kind, episode_id: episodeId },
    });
    return { episodeId };
  });
}

// ——— What referrers see ———

export async function referralsOfOrganisation(db: Kysely<Schema>, actor: Actor) {
  return repo.listForOrganisation(db, actor.organisationId, 200);
}

/** A referral as its referring organisation sees it: status, link worker, outcome and SNOMED code, never case notes. */
export async function referralForReferrer(db: Kysely<Schema>, actor: Actor, referralId: string, requestId: string) {
  const referral = isUuid(referralId) ? await repo.findReferral(db, referralId) : undefined;
  if (!referral || referral.referring_organisation_id !== actor.organisationId) throw notFound('referral');
  return db.transaction().execute(async (trx) => {
    const actions = await repo.listReferralActions(trx, referralId);
    const episode = await trx
      .selectFrom('episode as e')
      .innerJoin('app_user as lw', 'lw.id', 'e.link_worker_user_id')
      .select(['e.id', 'e.status', 'e.first_contact_at', 'e.closed_at', 'e.close_reason', 'lw.display_name as link_worker_name'])
      .where('e.referral_id', '=', referralId)
      .executeTakeFirst();
    const closing = episode
      ? await trx
          .selectFrom('episode_action')
          .select(['note', 'snomed_code', 'occurred_at'])
          .where('episode_id', '=', episode.id)
          .where('kind', '=', 'closed')
          .orderBy('occurred_at', 'desc')
          .limit(1)
          .executeTakeFirst()
      : undefined;
    // Which kinds of support the person was connected to and how it went; never the notes either side wrote.
    const connections = episode
      ? await trx
          .selectFrom('connection as c')
          .innerJoin('directory_service as s', 's.id', 'c.directory_service_id')
          .select(['c.kind', 'c.status', 's.need_domains', 's.name as service_name'])
          .where('c.episode_id', '=', episode.id)
          .where('c.status', 'not in', ['suggested', 'withdrawn'])
          .orderBy('c.created_at')
          .execute()
      : [];
    await writeAudit(trx, {
      actor,
      action: 'referral.track',
      recordType: 'person',
      recordId: referral.person_id,
      serviceId: referral.service_id,
      requestId,
      detail: { referral_id: referralId },
    });
    return {
      referral,
      status: referralStatus(actions.map((a) => ({ kind: a.kind, occurredAt: a.occurred_at }))),
      decision: actions.filter((a) => a.kind !== 'received').at(-1),
      episode,
      closing: episode?.status === 'closed' ? closing : undefined,
      connections,
    };
  });
}
