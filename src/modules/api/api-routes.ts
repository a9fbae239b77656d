import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import * as accounts from '../accounts/accounts-service.js';
import { readTrail } from '../audit/audit-trail-service.js';
import { registerCaseworkApi } from './casework-api.js';
import { registerDirectoryApi } from './directory-api.js';
import { registerConnectionsApi } from './connections-api.js';
import { registerMeasuresApi } from './measures-api.js';
import { registerReportsApi } from './reports-api.js';
import * as S from './api-schemas.js';
import { ORGANISATION_KINDS } from '../../platform/access/roles.js';

const ctx = (request: FastifyRequest): accounts.Context => ({ db: request.server.db, actor: request.actor!, requestId: request.id });

type OrganisationRow = Awaited<ReturnType<typeof accounts.getOrganisation>>;
const organisationJson = (o: Pick<OrganisationRow, 'id' | 'name' | 'kind' | 'ods_code' | 'postcode' | 'parent_id' | 'service_id' | 'disabled_at'> & { created_at?: Date }) => ({
  id: o.id,
  name: o.name,
  kind: o.kind,
  odsCode: o.ods_code,
  postcode: o.postcode,
  parentId: o.parent_id,
  serviceId: o.service_id,
  createdAt: (o.created_at ?? new Date(0)).toISOString(),
  disabled: o.disabled_at !== null,
});

/** The JSON API for machine clients, authenticated by bearer token. Every route declares its whole contract. */
export async function registerApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  await registerCaseworkApi(plugin);
  await registerDirectoryApi(plugin);
  await registerConnectionsApi(plugin);
  await registerMeasuresApi(plugin);
  await registerReportsApi(plugin);
  const tags = (tag: string) => ({ tags: [tag] });

  api.get('/me', { schema: { ...tags('Account'), summary: 'Who this token acts as', response: { 200: S.Me, ...S.errors(401, 403) } }, preValidation: requirePermission('home.view') }, async (request) => {
    const actor = request.actor!;
    return { userId: actor.userId, displayName: actor.displayName, role: actor.role, organisationId: actor.organisationId, organisationName: actor.organisationName, serviceId: actor.serviceId };
  });

  api.get(
    '/organisations',
    {
      schema: { ...tags('Organisations'), summary: 'List organisations', querystring: Type.Object({ kind: Type.Optional(Type.String({ maxLength: 20, description: `Only organisations of this kind: ${ORGANISATION_KINDS.join(', ')}` })) }), response: { 200: Type.Object({ organisations: Type.Array(S.Organisation) }), ...S.errors(400, 401, 403) } },
      preValidation: requirePermission('organisation.manage'),
    },
    async (request) => {
      const rows = await accounts.listOrganisations(api.db, request.query.kind ? { kind: request.query.kind } : {});
      return { organisations: rows.map(organisationJson) };
    },
  );

  api.post(
    '/organisations',
    { schema: { ...tags('Organisations'), summary: 'Add an organisation', body: S.NewOrganisation, response: { 201: S.Organisation, ...S.errors(400, 401, 403, 422) } }, preValidation: requirePermission('organisation.manage') },
    async (request, reply) => {
      const id = await accounts.createOrganisation(ctx(request), request.body);
      return reply.code(201).send(organisationJson(await accounts.getOrganisation(api.db, id)));
    },
  );

  api.get(
    '/organisations/:id',
    { schema: { ...tags('Organisations'), summary: 'One organisation', params: S.IdParams, response: { 200: S.Organisation, ...S.errors(401, 403, 404) } }, preValidation: requirePermission('organisation.manage') },
    async (request) => organisationJson(await accounts.getOrganisation(api.db, request.params.id)),
  );

  api.post(
    '/users',
    { schema: { ...tags('Users'), summary: 'Create a user account with its first role', body: S.NewUser, response: { 201: S.CreatedUser, ...S.errors(400, 401, 403, 422) } }, preValidation: requirePermission('user.manage') },
    async (request, reply) => {
      const created = await accounts.createUser(ctx(request), api.config, request.body);
      return reply.code(201).send({ id: created.userId, setPasswordUrl: created.passwordLink.url, setPasswordExpiresAt: created.passwordLink.expiresAt.toISOString() });
    },
  );

  api.get(
    '/users/:id',
    { schema: { ...tags('Users'), summary: 'One user account and its roles', params: S.IdParams, response: { 200: S.User, ...S.errors(401, 403, 404) } }, preValidation: requirePermission('user.manage') },
    async (request) => {
      const { user, memberships } = await accounts.readUser(ctx(request), request.params.id);
      return {
        id: user.id,
        email: user.email,
        displayName: user.display_name,
        disabled: user.disabled_at !== null,
        hasPassword: user.hasPassword,
        memberships: memberships.map((m) => ({ id: m.id, role: m.role, organisationId: m.organisation_id, organisationName: m.organisation_name })),
      };
    },
  );

  api.post(
    '/users/:id/memberships',
    { schema: { ...tags('Users'), summary: 'Give a user another role', params: S.IdParams, body: S.NewMembership, response: { 201: S.Created, ...S.errors(400, 401, 403, 404, 422) } }, preValidation: requirePermission('user.manage') },
    async (request, reply) => reply.code(201).send({ id: await accounts.addMembership(ctx(request), request.params.id, request.body) }),
  );

  api.get(
    '/audit-events',
    {
      schema: {
        ...tags('Audit'),
        summary: 'Who has viewed or changed a record',
        querystring: Type.Object({ recordType: Type.String({ maxLength: 40, description: 'The kind of record: person, user or organisation' }), recordId: Type.String({ maxLength: 64, description: 'Its id' }) }),
        response: { 200: S.AuditEvents, ...S.errors(400, 401, 403, 404) },
      },
      preValidation: requirePermission('audit.read'),
    },
    async (request) => {
      const events = await readTrail(request, request.query.recordType, request.query.recordId);
      return {
        events: events.map((e) => ({
          occurredAt: e.occurred_at.toISOString(),
          action: e.action,
          outcome: e.outcome,
          actorName: e.actor_name,
          actorRole: e.actor_role,
          actorOrganisationName: e.actor_organisation_name,
        })),
      };
    },
  );
}
