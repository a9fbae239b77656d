import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { connectionInService, referralToProvider } from '../connections/connection-access.js';
import { badRequest } from '../../platform/errors.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { CONNECTION_KINDS, CONNECTION_STATUS_LABELS, DECLINE_REASONS, type ConnectionActionKind } from '../connections/connection-lifecycle.js';
import { connectionForProvider, connectionForService, episodeConnections, findConnection, providerInbox } from '../connections/connection-read.js';
import { actOnConnection, createConnection } from '../connections/connection-service.js';
import { gapRegister } from '../directory/gap-register.js';
import { recordGap } from '../directory/provision-gap-service.js';
import { errors, IdParams, Uuid } from './api-schemas.js';
import { ConnectionForService, EpisodeConnections, GapRegister, ProviderInbox, ReferralForProvider } from './connections-api-schemas.js';

/** Connections, the provider's inbox and the gaps register through the API: the same rules, checks and audit as the pages. */

const ctx = (request: FastifyRequest) => ({ db: request.server.db, actor: request.actor!, requestId: request.id });
const ACTIONS = ['accepted', 'declined', 'withdrawn', 'started', 'attended', 'missed', 'stopped', 'did_not_start', 'ended', 'message'] as const;

const NewConnection = Type.Object(
  {
    directoryServiceId: Uuid,
    kind: Type.String({ enum: Object.keys(CONNECTION_KINDS) }),
    reason: Type.String({ maxLength: 1000 }),
    sharedNote: Type.Optional(Type.String({ maxLength: 2000 })),
    shareContact: Type.Optional(Type.Boolean({ description: 'Share name and contact details with the provider; only if the person agreed' })),
  },
  { additionalProperties: false },
);
const Action = Type.Object(
  {
    action: Type.String({ enum: [...ACTIONS] }),
    version: Type.Integer({ minimum: 1, description: 'The connection version you last read; a mismatch answers 409' }),
    reason: Type.Optional(Type.String({ enum: Object.keys(DECLINE_REASONS), description: 'Required to decline' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    sessionDate: Type.Optional(Type.String({ format: 'date', description: 'For attended and missed' })),
  },
  { additionalProperties: false },
);

export async function registerConnectionsApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = { tags: ['Connections'] };

  api.get('/episodes/:id/connections', { schema: { ...tags, summary: 'An episode’s connections to community services', params: IdParams, response: { 200: EpisodeConnections, ...errors(401, 403, 404) } }, preValidation: [requirePermission('connection.manage'), episodeInScope] }, async (request) => ({
    connections: (await episodeConnections(api.db, request.actor!.serviceId!, request.params.id)).map((c) => ({ id: c.id, kind: c.kind, status: c.status, service: c.service_name, createdAt: c.created_at.toISOString(), unread: c.link_worker_unread })),
  }));

  api.post('/episodes/:id/connections', { schema: { ...tags, summary: 'Connect the person to a directory service: signpost, referral or introduction', params: IdParams, body: NewConnection, response: { 201: Type.Object({ id: Uuid }), ...errors(400, 401, 403, 404, 422) } }, preValidation: [requirePermission('connection.manage'), episodeInScope] }, async (request, reply) => {
    const id = await createConnection(ctx(request), request.params.id, { ...request.body, shareContact: request.body.shareContact ? 'yes' : '' });
    return reply.code(201).send({ id });
  });

  const connectionJson = async (request: FastifyRequest) => {
    const view = await connectionForService(api.db, request.actor!, (request.params as { id: string }).id, request.id);
    const c = view.connection;
    return {
      id: c.id,
      episodeId: c.episode_id,
      kind: c.kind,
      status: c.status,
      statusLabel: CONNECTION_STATUS_LABELS[c.status as keyof typeof CONNECTION_STATUS_LABELS],
      version: c.version,
      service: { id: c.directory_service_id, name: c.service_name, organisation: c.organisation_name },
      reason: c.reason,
      sharedNote: c.shared_note,
      shareContact: c.share_contact,
      expiresAt: c.expires_at?.toISOString() ?? null,
      next: view.next,
      serviceAnswers: view.answers,
      history: view.actions.map((a) => ({ kind: a.kind, side: a.side, occurredAt: a.occurred_at.toISOString(), reason: a.reason, note: a.note, sessionDate: a.session_date })),
    };
  };

  api.get('/connections/:id', { schema: { ...tags, summary: 'A connection in full, for the person’s service', params: IdParams, response: { 200: ConnectionForService, ...errors(401, 403, 404) } }, preValidation: [requirePermission('connection.manage'), connectionInService] }, (request) => connectionJson(request));

  api.post('/connections/:id/actions', { schema: { ...tags, summary: 'The service’s next step: withdraw, record starting, attendance, an end, or a message', params: IdParams, body: Action, response: { 200: ConnectionForService, ...errors(400, 401, 403, 404, 409, 422) } }, preValidation: [requirePermission('connection.manage'), connectionInService] }, async (request) => {
    const connection = (await findConnection(api.db, request.params.id))!;
    await actOnConnection(ctx(request), connection, 'link_worker', request.body.action as ConnectionActionKind, request.body);
    return connectionJson(request);
  });

  api.get('/provider/referrals', { schema: { ...tags, summary: 'Referrals to your organisation’s services', querystring: Type.Object({ show: Type.Optional(Type.String({ enum: ['open', 'closed'] })) }), response: { 200: ProviderInbox, ...errors(400, 401, 403) } }, preValidation: requirePermission('connection.respond') }, async (request) => ({
    referrals: (await providerInbox(api.db, request.actor!, request.id, { open: request.query.show !== 'closed' })).map((r) => ({
      id: r.id,
      status: r.status,
      service: r.service_name,
      person: r.person_name,
      referredAt: r.referred_at?.toISOString() ?? null,
      answerBy: r.expires_at?.toISOString() ?? null,
    })),
  }));

  /** The provider's view, with its moments as ISO strings. */
  const referralJson = async (request: FastifyRequest) => {
    const view = await connectionForProvider(api.db, request.actor!, (request.params as { id: string }).id, request.id);
    return {
      ...view,
      referredAt: view.referredAt?.toISOString() ?? null,
      expiresAt: view.expiresAt?.toISOString() ?? null,
      actions: view.actions.map((a) => ({ ...a, occurredAt: a.occurredAt.toISOString() })),
    };
  };

  api.get('/provider/referrals/:id', { schema: { ...tags, summary: 'One referral, as much as the person agreed to share', params: IdParams, response: { 200: ReferralForProvider, ...errors(401, 403, 404) } }, preValidation: [requirePermission('connection.respond'), referralToProvider] }, (request) =>
    referralJson(request),
  );

  api.post('/provider/referrals/:id/actions', { schema: { ...tags, summary: 'Answer a referral: accept, decline with a reason, record attendance, an end, or a message', params: IdParams, body: Action, response: { 200: ReferralForProvider, ...errors(400, 401, 403, 404, 409, 422) } }, preValidation: [requirePermission('connection.respond'), referralToProvider] }, async (request) => {
    if (request.body.action === 'withdrawn') throw badRequest('Only the link worker can withdraw a referral.', { action: 'A provider declines instead of withdrawing' });
    const connection = (await findConnection(api.db, request.params.id))!;
    await actOnConnection(ctx(request), connection, 'provider', request.body.action as ConnectionActionKind, request.body);
    return referralJson(request);
  });

  const gapTags = { tags: ['Provision gaps'] };
  api.get('/gaps', { schema: { ...gapTags, summary: 'The service’s open provision gaps by need and area', response: { 200: GapRegister, ...errors(401, 403) } }, preValidation: requirePermission('gap.register') }, async (request) => ({
    gaps: (await gapRegister(api.db, [request.actor!.serviceId!])).map((g) => ({ ...g, lastRecordedAt: g.lastRecordedAt.toISOString() })),
  }));

  api.post(
    '/gaps',
    {
      schema: {
        ...gapTags,
        summary: 'Record that no suitable service exists',
        body: Type.Object({ need: Type.String({ enum: Object.keys(NEED_DOMAINS) }), area: Type.Optional(Type.String({ maxLength: 8 })), practiceId: Type.Optional(Uuid), note: Type.String({ maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ id: Uuid }), ...errors(400, 401, 403, 422) },
      },
      preValidation: requirePermission('gap.record'),
    },
    async (request, reply) => reply.code(201).send({ id: await recordGap(api.db, request.actor!, { ...request.body, source: 'manual' }, request.id) }),
  );
}
