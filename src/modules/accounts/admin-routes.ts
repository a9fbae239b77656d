import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ORGANISATION_KIND_LABELS, ROLE_LABELS, ROLE_ORGANISATION_KINDS, type Role } from '../../platform/access/roles.js';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { withForm } from '../../platform/forms.js';
import { text } from '../../shared/form.js';
import * as accounts from './accounts-service.js';

type Params = { id: string; membershipId: string; tokenId: string };

const ctx = (request: FastifyRequest): accounts.Context => ({ db: request.server.db, actor: request.actor!, requestId: request.id });

const kindItems = (selected?: string) =>
  Object.entries(ORGANISATION_KIND_LABELS).map(([value, label]) => ({ value, text: label, checked: value === selected }));

const roleItems = (selected?: string) =>
  (Object.entries(ROLE_LABELS) as [Role, string][]).map(([value, label]) => ({
    value,
    text: label,
    hint: { text: `In a ${ROLE_ORGANISATION_KINDS[value].map((kind) => ORGANISATION_KIND_LABELS[kind].toLowerCase()).join(' or ')}` },
    checked: value === selected,
  }));

async function organisationOptions(request: FastifyRequest, selected: string | undefined, kinds?: readonly string[]) {
  const organisations = await accounts.listOrganisations(request.server.db);
  return [
    { value: '', text: 'Select an organisation' },
    ...organisations
      .filter((o) => !kinds || kinds.includes(o.kind))
      .map((o) => ({ value: o.id, text: `${o.name} (${ORGANISATION_KIND_LABELS[o.kind as keyof typeof ORGANISATION_KIND_LABELS]})`, selected: o.id === selected })),
  ];
}

export function registerAdminRoutes(app: FastifyInstance) {
  const orgs = { preValidation: requirePermission('organisation.manage') };
  const users = { preValidation: requirePermission('user.manage') };

  app.get('/admin', orgs, async (_request, reply) => {
    const organisations = await accounts.listOrganisations(app.db);
    const counts = Object.fromEntries(Object.keys(ORGANISATION_KIND_LABELS).map((kind) => [kind, organisations.filter((o) => o.kind === kind).length]));
    return reply.page('admin/index.njk', { title: 'Administration', counts, kinds: ORGANISATION_KIND_LABELS });
  });

  // ——— Organisations ———

  app.get('/admin/organisations', orgs, async (request, reply) => {
    const kind = text(request.query, 'kind');
    const organisations = await accounts.listOrganisations(app.db, kind ? { kind } : {});
    const kindOptions = [
      { value: '', text: 'All types' },
      ...Object.entries(ORGANISATION_KIND_LABELS).map(([value, label]) => ({ value, text: label, selected: value === kind })),
    ];
    return reply.page('admin/organisations.njk', { title: 'Organisations', organisations, kindOptions, columns: 'full' });
  });

  const renderOrganisationForm = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>) =>
    reply.page('admin/organisation-new.njk', {
      title: 'Add an organisation',
      values,
      errors,
      kindItems: kindItems(values.kind),
      parentOptions: await organisationOptions(request, values.parentId, ['pcn', 'council_icb', 'sp_service']),
      serviceOptions: await organisationOptions(request, values.serviceId, ['sp_service']),
    });

  app.get('/admin/organisations/new', orgs, (request, reply) => renderOrganisationForm(request, reply, {}));

  app.post('/admin/organisations', orgs, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => accounts.createOrganisation(ctx(request), values), (errors) =>
      renderOrganisationForm(request, reply, values, errors),
    );
    if (result.ok) return reply.redirect(`/admin/organisations/${result.value}?created`);
    return reply;
  });

  app.get<{ Params: Params }>('/admin/organisations/:id', orgs, async (request, reply) => {
    const organisation = await accounts.getOrganisation(app.db, request.params.id);
    const [team, children, service, parent] = await Promise.all([
      accounts.listTeam(app.db, organisation.id),
      accounts.listOrganisations(app.db, { parentId: organisation.id }),
      organisation.service_id ? accounts.getOrganisation(app.db, organisation.service_id) : undefined,
      organisation.parent_id ? accounts.getOrganisation(app.db, organisation.parent_id) : undefined,
    ]);
    return reply.page('admin/organisation.njk', {
      title: organisation.name,
      organisation,
      team,
      children,
      service,
      parent,
      created: (request.query as Record<string, unknown>).created !== undefined,
      columns: 'full',
    });
  });

  // ——— Users ———

  app.get('/admin/users', users, async (request, reply) => {
    const search = text(request.query, 'search').slice(0, 100);
    const list = await accounts.listUsers(app.db, search ? { search } : {});
    return reply.page('admin/users.njk', { title: 'Users', users: list, search, columns: 'full' });
  });

  const renderUserForm = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>) =>
    reply.page('admin/user-new.njk', {
      title: 'Add a user',
      values,
      errors,
      roleItems: roleItems(values.role),
      organisationOptions: await organisationOptions(request, values.organisationId),
    });

  app.get('/admin/users/new', users, (request, reply) => renderUserForm(request, reply, { organisationId: text(request.query, 'organisationId') }));

  app.post('/admin/users', users, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => accounts.createUser(ctx(request), app.config, values), (errors) =>
      renderUserForm(request, reply, values, errors),
    );
    if (!result.ok) return reply;
    const user = await accounts.getUser(app.db, result.value.userId);
    return reply.code(201).page('admin/password-link.njk', {
      title: 'Account created',
      heading: `Account created for ${user.display_name}`,
      user,
      link: result.value.passwordLink,
    });
  });

  const renderUser = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const detail = await accounts.readUser(ctx(request), request.params.id);
    const values = (extra.values as Record<string, string> | undefined) ?? {};
    return reply.page('admin/user.njk', {
      title: detail.user.display_name,
      ...detail,
      roleItems: roleItems(values.role),
      organisationOptions: await organisationOptions(request, values.organisationId),
      membershipItems: detail.memberships.map((m) => ({ value: m.id, text: `${ROLE_LABELS[m.role as Role]} at ${m.organisation_name}` })),
      isSelf: detail.user.id === request.actor!.userId,
      columns: 'full',
      ...extra,
    });
  };

  app.get<{ Params: Params }>('/admin/users/:id', users, (request, reply) => renderUser(request, reply));

  app.post<{ Params: Params }>('/admin/users/:id/memberships', users, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => accounts.addMembership(ctx(request), request.params.id, values), (errors) =>
      renderUser(request, reply, { errors, values }),
    );
    return result.ok ? reply.redirect(`/admin/users/${request.params.id}`) : reply;
  });

  app.post<{ Params: Params }>('/admin/users/:id/memberships/:membershipId/remove', users, async (request, reply) => {
    await accounts.removeMembership(ctx(request), request.params.id, request.params.membershipId);
    return reply.redirect(`/admin/users/${request.params.id}`);
  });

  app.post<{ Params: Params }>('/admin/users/:id/reset-password', users, async (request, reply) => {
    const result = await withForm(reply, () => accounts.resetPassword(ctx(request), app.config, request.params.id), (errors) =>
      renderUser(request, reply, { errors }),
    );
    if (!result.ok) return reply;
    const user = await accounts.getUser(app.db, request.params.id);
    return reply.page('admin/password-link.njk', { title: 'Password reset', heading: `New password link for ${user.display_name}`, user, link: result.value, reset: true });
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post<{ Params: Params }>(`/admin/users/:id/${path}`, users, async (request, reply) => {
      const result = await withForm(reply, () => accounts.setDisabled(ctx(request), request.params.id, disabled), (errors) =>
        renderUser(request, reply, { errors }),
      );
      return result.ok ? reply.redirect(`/admin/users/${request.params.id}`) : reply;
    });
  }

  app.post<{ Params: Params }>('/admin/users/:id/tokens', { preValidation: requirePermission('api_token.manage') }, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => accounts.createApiToken(ctx(request), request.params.id, values), (errors) =>
      renderUser(request, reply, { errors, tokenValues: values }),
    );
    if (!result.ok) return reply;
    const user = await accounts.getUser(app.db, request.params.id);
    return reply.code(201).page('admin/api-token.njk', { title: 'API token created', user, token: result.value.token });
  });

  app.post<{ Params: Params }>('/admin/tokens/:tokenId/revoke', { preValidation: requirePermission('api_token.manage') }, async (request, reply) => {
    const userId = await accounts.revokeApiToken(ctx(request), request.params.tokenId);
    return reply.redirect(`/admin/users/${userId}`);
  });
}
