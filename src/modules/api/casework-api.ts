import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { CLOSE_REASONS, CONTACT_MODES, CONTACT_STATUSES, CONTACT_TYPES, HOLDING_REASONS, NEED_DOMAINS, READINESS } from '../../shared/vocabulary.js';
import * as casework from '../casework/casework-service.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { caseload, readEpisode } from '../casework/caseload-service.js';
import { recordContact } from '../casework/contact-service.js';
import * as plan from '../casework/plan-service.js';
import { referralInScope } from '../referrals/referral-routes.js';
import * as referrals from '../referrals/referral-service.js';
import { errors, IdParams, Nullable, oneOf, Uuid } from './api-schemas.js';

const ctx = (request: FastifyRequest): casework.CaseContext => ({ db: request.server.db, actor: request.actor!, requestId: request.id });
const text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const Version = Type.Optional(Type.Integer({ minimum: 1, description: 'The episode version you last read; a mismatch answers 409 instead of overwriting someone else’s change' }));
const IsoDate = Type.String({ format: 'date' });

const TriageReferral = Type.Object({
  id: Uuid,
  reference: Type.String(),
  status: Type.String(),
  source: Type.String({ enum: ['practice', 'agency', 'self'] }),
  urgency: Type.String(),
  receivedAt: Type.String({ format: 'date-time' }),
  needDomains: Type.Array(Type.String()),
  helpWanted: Type.String(),
  risks: Nullable(Type.String()),
  personAgreed: Type.Boolean(),
  person: Type.Object({
    givenName: Type.String(),
    familyName: Type.String(),
    dateOfBirth: Nullable(IsoDate),
    nhsNumber: Nullable(Type.String()),
    registeredPractice: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
    contactMethod: Nullable(Type.String()),
    contactTimes: Nullable(Type.String()),
    interpreterLanguage: Nullable(Type.String()),
    easyRead: Type.Boolean(),
  }),
  referrer: Nullable(Type.Object({ organisation: Nullable(Type.String()), name: Nullable(Type.String()), role: Nullable(Type.String()), contact: Nullable(Type.String()) })),
  possibleDuplicates: Type.Array(Uuid, { description: 'People the service already knows with the same NHS number, or name and date of birth' }),
});

const NewReferral = Type.Object(
  {
    idempotencyKey: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: 'Send the same key again to get the first referral back instead of a duplicate' })),
    nhsNumber: Type.Optional(text(12, '10 digits; required from a GP practice')),
    givenName: text(100),
    familyName: text(100),
    preferredName: Type.Optional(text(100)),
    dateOfBirth: IsoDate,
    sex: Type.Optional(Type.String({ enum: ['female', 'male', 'indeterminate', 'not_known'] })),
    postcode: Type.Optional(text(10)),
    phone: Type.Optional(text(30)),
    email: Type.Optional(text(254)),
    registeredPracticeId: Type.Optional(Uuid),
    needDomains: Type.Array(oneOf(NEED_DOMAINS), { minItems: 1, maxItems: 17 }),
    helpWanted: text(2000),
    risks: Type.Optional(text(2000)),
    urgency: Type.Optional(Type.String({ enum: ['routine', 'urgent'] })),
    personAgreed: Type.Boolean({ description: 'Must be true: only refer someone who has agreed' }),
    referrerRole: Type.Optional(text(200)),
    referrerContact: Type.Optional(text(200, 'Required from an agency')),
  },
  { additionalProperties: false },
);

const ReferralCreated = Type.Object({ id: Uuid, reference: Type.String(), repeated: Type.Boolean() });

const ReferralStatus = Type.Object({
  id: Uuid,
  reference: Type.String(),
  status: Type.String({ enum: ['waiting', 'accepted', 'declined', 'redirected'] }),
  decisionReason: Type.Union([Type.String(), Type.Null()]),
  linkWorker: Type.Union([Type.String(), Type.Null()]),
  firstContactAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  outcome: Type.Union([
    Type.Object({ closedAt: Type.String({ format: 'date-time' }), summary: Type.String(), snomedCode: Type.String() }),
    Type.Null(),
  ]),
});

const Triage = Type.Object(
  {
    decision: Type.String({ enum: ['accept', 'decline', 'redirect'] }),
    linkWorkerUserId: Type.Optional(Uuid),
    reason: Type.Optional(text(1000)),
    redirectedTo: Type.Optional(text(200)),
  },
  { additionalProperties: false },
);

const NewContact = Type.Object(
  {
    date: IsoDate,
    time: Type.String({ pattern: '^([01]?\\d|2[0-3]):[0-5]\\d$', description: 'Local time in England, 24-hour' }),
    mode: oneOf(CONTACT_MODES),
    status: oneOf(CONTACT_STATUSES),
    contactType: oneOf(CONTACT_TYPES),
    durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
    practiceId: Type.Optional(Uuid),
    venue: Type.Optional(text(200)),
    notes: Type.Optional(text(5000)),
    discretionReason: Type.Optional(text(500, 'Needed when the contact goes beyond the service’s standard offer')),
  },
  { additionalProperties: false },
);

const EpisodeSummary = Type.Object({
  id: Uuid,
  status: Type.String(),
  version: Type.Integer(),
  linkWorker: Type.String(),
  person: Type.Object({ id: Uuid, givenName: Type.String(), familyName: Type.String(), nhsNumber: Type.Union([Type.String(), Type.Null()]), dateOfBirth: Type.Union([Type.String(), Type.Null()]) }),
  firstContactAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  holding: Type.Union([Type.Object({ reason: Type.String(), since: Type.String({ format: 'date-time' }) }), Type.Null()]),
  closedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  closeReason: Type.Union([Type.String(), Type.Null()]),
  snomedCode: Type.Union([Type.String(), Type.Null()]),
  contacts: Type.Array(Type.Object({ id: Uuid, startsAt: Type.String({ format: 'date-time' }), mode: Type.String(), status: Type.String(), contactType: Type.String(), durationMinutes: Type.Union([Type.Integer(), Type.Null()]) })),
  goals: Type.Array(Type.Object({ id: Uuid, goal: Type.String(), readiness: Type.String(), status: Type.String() })),
  nextActions: Type.Array(Type.String()),
});

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

async function episodeJson(request: FastifyRequest, episodeId: string) {
  const view = await readEpisode(request.server.db, request.actor!, episodeId, request.id);
  return {
    id: view.episode.id,
    status: view.state.status,
    version: view.episode.version,
    linkWorker: view.episode.link_worker_name,
    person: { id: view.person.id, givenName: view.person.given_name, familyName: view.person.family_name, nhsNumber: view.person.nhs_number, dateOfBirth: view.person.date_of_birth },
    firstContactAt: iso(view.state.firstContactAt),
    holding: view.state.holding ? { reason: view.state.holding.reason, since: view.state.holding.startedAt.toISOString() } : null,
    closedAt: iso(view.state.closedAt),
    closeReason: view.state.closeReason,
    snomedCode: view.state.snomedCode,
    contacts: view.contacts.map((c) => ({ id: c.id, startsAt: c.starts_at.toISOString(), mode: c.mode, status: c.status, contactType: c.contact_type, durationMinutes: c.duration_minutes })),
    goals: view.goals.map((g) => ({ id: g.id, goal: g.goal, readiness: g.readiness, status: g.status })),
    nextActions: [...view.nextActions],
  };
}

/** Referrals and casework through the API: the same use-cases, rules and audit as the pages. */
export async function registerCaseworkApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = (tag: string) => ({ tags: [tag] });
  const episodeRoute = (permission: Parameters<typeof requirePermission>[0]) => ({ preValidation: [requirePermission(permission), episodeInScope] });

  api.post('/referrals', { schema: { ...tags('Referrals'), summary: 'Refer someone (practice or agency)', body: NewReferral, response: { 200: ReferralCreated, 201: ReferralCreated, ...errors(400, 401, 403, 422) } }, preValidation: requirePermission('referral.create') }, async (request, reply) => {
    const created = await referrals.createReferral(api.db, request.actor!, request.body, request.id);
    return reply.code(created.repeated ? 200 : 201).send(created);
  });

  api.get('/referrals/:id', { schema: { ...tags('Referrals'), summary: 'A referral’s status and outcome, as the referrer sees it', params: IdParams, response: { 200: ReferralStatus, ...errors(401, 403, 404) } }, preValidation: requirePermission('referral.track') }, async (request) => {
    const view = await referrals.referralForReferrer(api.db, request.actor!, request.params.id, request.id);
    return {
      id: view.referral.id,
      reference: view.referral.reference,
      status: view.status,
      decisionReason: view.decision?.reason ?? null,
      linkWorker: view.episode?.link_worker_name ?? null,
      firstContactAt: iso(view.episode?.first_contact_at),
      outcome: view.closing ? { closedAt: view.closing.occurred_at.toISOString(), summary: view.closing.note ?? '', snomedCode: view.closing.snomed_code ?? '' } : null,
    };
  });

  api.get('/triage', { schema: { ...tags('Triage'), summary: 'The service’s waiting list, oldest first', response: { 200: Type.Object({ referrals: Type.Array(Type.Object({ id: Uuid, reference: Type.String(), urgency: Type.String(), receivedAt: Type.String({ format: 'date-time' }), waitingDays: Type.Integer(), givenName: Type.String(), familyName: Type.String() })) }), ...errors(401, 403) } }, preValidation: requirePermission('referral.triage') }, async (request) => ({
    referrals: (await referrals.waitingList(api.db, request.actor!, false)).map((r) => ({ id: r.id, reference: r.reference, urgency: r.urgency, receivedAt: r.received_at.toISOString(), waitingDays: r.waitingDays, givenName: r.given_name, familyName: r.family_name })),
  }));

  api.get('/triage/:id', { schema: { ...tags('Triage'), summary: 'One referral as triage sees it: the person, how to reach them, why they were referred (reading it is audited)', params: IdParams, response: { 200: TriageReferral, ...errors(401, 403, 404) } }, preValidation: [requirePermission('referral.triage'), referralInScope] }, async (request) => {
    const { referral: r, status, duplicates } = await referrals.readReferralForTriage(api.db, request.actor!, request.params.id, request.id);
    return {
      id: r.id,
      reference: r.reference,
      status,
      source: r.source,
      urgency: r.urgency,
      receivedAt: r.received_at.toISOString(),
      needDomains: r.need_domains,
      helpWanted: r.help_wanted,
      risks: r.risks,
      personAgreed: r.person_agreed,
      person: {
        givenName: r.given_name,
        familyName: r.family_name,
        dateOfBirth: r.date_of_birth,
        nhsNumber: r.nhs_number,
        registeredPractice: r.practice_name,
        phone: r.phone,
        email: r.email,
        contactMethod: r.contact_method,
        contactTimes: r.contact_times,
        interpreterLanguage: r.interpreter_language,
        easyRead: r.easy_read,
      },
      referrer: r.source === 'self' ? null : { organisation: r.referring_organisation_name, name: r.referrer_name, role: r.referrer_role, contact: r.referrer_contact },
      possibleDuplicates: duplicates.map((d) => d.id),
    };
  });

  api.post('/triage/:id', { schema: { ...tags('Triage'), summary: 'Accept (allocating a link worker), decline or redirect a referral', params: IdParams, body: Triage, response: { 200: Type.Object({ episodeId: Type.Union([Uuid, Type.Null()]) }), ...errors(400, 401, 403, 404, 409, 422) } }, preValidation: [requirePermission('referral.triage'), referralInScope] }, async (request) =>
    referrals.triage(api.db, request.actor!, request.params.id, request.body.decision as referrals.TriageDecision, request.body, request.id),
  );

  api.get('/caseload', { schema: { ...tags('Casework'), summary: 'Open episodes: your own, or (for a manager) the service’s', querystring: Type.Object({ status: Type.Optional(Type.String({ enum: ['awaiting_first_contact', 'active', 'holding', 'closed'] })) }), response: { 200: Type.Object({ episodes: Type.Array(Type.Object({ id: Uuid, status: Type.String(), givenName: Type.String(), familyName: Type.String(), linkWorker: Type.String(), lastContactAt: Type.Union([Type.String(), Type.Null()]), nextContactAt: Type.Union([Type.String(), Type.Null()]), unreadUpdates: Type.Integer({ description: 'Provider replies not yet seen' }) })) }), ...errors(400, 401, 403) } }, preValidation: requirePermission('episode.read') }, async (request) => {
    const actor = request.actor!;
    const rows = await caseload(api.db, actor, { ...(actor.role === 'service_manager' ? {} : { linkWorkerUserId: actor.userId }), ...(request.query.status ? { status: request.query.status } : {}) });
    return { episodes: rows.map((r) => ({ id: r.id, status: r.status, givenName: r.given_name, familyName: r.family_name, linkWorker: r.link_worker_name, lastContactAt: iso(r.last_contact_at), nextContactAt: iso(r.next_contact_at), unreadUpdates: Number(r.unread_updates) })) };
  });

  api.get('/episodes/:id', { schema: { ...tags('Casework'), summary: 'An episode of support (reading it is audited)', params: IdParams, response: { 200: EpisodeSummary, ...errors(401, 403, 404) } }, ...episodeRoute('episode.read') }, (request) => episodeJson(request, request.params.id));

  api.post('/episodes/:id/contacts', { schema: { ...tags('Casework'), summary: 'Record or book a contact', params: IdParams, body: NewContact, response: { 201: Type.Object({ contactId: Uuid, discretions: Type.Array(Type.String()) }), ...errors(400, 401, 403, 404, 409, 422) } }, ...episodeRoute('episode.write') }, async (request, reply) =>
    reply.code(201).send(await recordContact(ctx(request), request.params.id, request.body)),
  );

  /** Episode commands answer with the episode as it now is. */
  const episodeCommand = (path: string, summary: string, body: ReturnType<typeof Type.Object>, run: (request: { id: string; body: unknown; context: casework.CaseContext }) => Promise<unknown>) =>
    api.post(`/episodes/:id/${path}`, { schema: { ...tags('Casework'), summary, params: IdParams, body, response: { 200: EpisodeSummary, ...errors(400, 401, 403, 404, 409, 422) } }, ...episodeRoute('episode.write') }, async (request) => {
      await run({ id: request.params.id, body: request.body, context: ctx(request) });
      return episodeJson(request, request.params.id);
    });

  episodeCommand('holding', 'Start holding, with one of the four reasons', Type.Object({ holdingReason: oneOf(HOLDING_REASONS), note: Type.Optional(text(1000)), version: Version }, { additionalProperties: false }), (r) => casework.startHolding(r.context, r.id, r.body));
  episodeCommand('holding/end', 'End holding', Type.Object({ note: Type.Optional(text(1000)), version: Version }, { additionalProperties: false }), (r) => casework.endHolding(r.context, r.id, r.body));
  episodeCommand('close', 'Close, with a summary for the referrer; answers the SNOMED CT code for the practice', Type.Object({ closeReason: oneOf(CLOSE_REASONS), summary: text(2000), version: Version }, { additionalProperties: false }), (r) => casework.closeEpisode(r.context, r.id, r.body));
  episodeCommand('what-matters', 'Record what matters to the person, in their words', Type.Object({ whatMatters: text(5000) }, { additionalProperties: false }), (r) => plan.recordWhatMatters(r.context, r.id, r.body));
  episodeCommand('goals', 'Add a goal to the support plan', Type.Object({ goal: text(1000), readiness: oneOf(READINESS), owner: Type.Optional(text(100)), targetDate: Type.Optional(IsoDate) }, { additionalProperties: false }), (r) => plan.addGoal(r.context, r.id, r.body));
}
