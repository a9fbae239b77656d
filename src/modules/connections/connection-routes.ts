import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { connectionInService, referralToProvider } from './connection-access.js';
import { notFound } from '../../platform/errors.js';
import { withForm } from '../../platform/forms.js';
import { text } from '../../shared/form.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { CONNECTION_KINDS, CONNECTION_STATUS_LABELS, DECLINE_REASONS, type ConnectionActionKind } from './connection-lifecycle.js';
import { connectionForProvider, connectionForService, findConnection, providerInbox } from './connection-read.js';
import { actOnConnection, connectableService, createConnection } from './connection-service.js';
import { splitIsoDate, todayInLondon } from '../../shared/dates.js';

/** Connections on the service's side (from an episode), and the provider's inbox of referrals. */

const ACTIONS: readonly ConnectionActionKind[] = ['accepted', 'declined', 'withdrawn', 'started', 'attended', 'missed', 'stopped', 'did_not_start', 'ended', 'message'];
export const ACTION_LABELS: Record<string, string> = {
  suggested: 'Suggested',
  referred: 'Referral sent',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'Expired without a reply',
  withdrawn: 'Withdrawn',
  started: 'Started',
  attended: 'Attended a session',
  missed: 'Missed a session',
  stopped: 'Stopped attending',
  did_not_start: 'Did not start',
  ended: 'Ended',
  message: 'Message',
};
const LABELS = { kinds: CONNECTION_KINDS, status: CONNECTION_STATUS_LABELS, declineReasons: DECLINE_REASONS, actions: ACTION_LABELS };

export function registerConnectionRoutes(app: FastifyInstance) {
  const manage = { preValidation: [requirePermission('connection.manage'), episodeInScope] };

  const renderNew = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const target = await connectableService(app.db, typeof values.directoryServiceId === 'string' ? values.directoryServiceId : '');
    if (!target && !errors) throw notFound('service');
    const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
    const kinds = Object.entries(CONNECTION_KINDS).map(([value, label]) => ({
      value,
      text: label,
      checked: value === values.kind,
      disabled: !target || (value !== 'signpost' && !target.active) || (value === 'referral' && !target.takesReferrals),
    }));
    const name = episode.preferred_name || episode.given_name;
    return reply.page('connections/new.njk', { title: target ? `Connect to ${target.name}` : 'Choose a service', target, episode, values, errors, kinds, name });
  };

  app.get<{ Params: { id: string } }>('/episodes/:id/connections/new', manage, (request, reply) =>
    renderNew(request, reply, { directoryServiceId: text(request.query, 'service'), shareContact: '' }),
  );

  app.post<{ Params: { id: string } }>('/episodes/:id/connections', manage, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => createConnection({ db: app.db, actor: request.actor!, requestId: request.id }, request.params.id, body), (errors) => renderNew(request, reply, body, errors));
    if (!result.ok) return reply;
    return reply.redirect(`/connections/${result.value}?created=1`);
  });

  const renderConnection = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: Record<string, string>, values: Record<string, unknown> = {}) => {
    const view = await connectionForService(app.db, request.actor!, request.params.id, request.id);
    return reply.page('connections/connection.njk', {
      title: view.connection.service_name,
      ...view,
      labels: LABELS,
      errors,
      values,
      today: splitIsoDate(todayInLondon()),
      created: text(request.query, 'created') === '1',
    });
  };

  const serviceSide = { preValidation: [requirePermission('connection.manage'), connectionInService] };
  app.get<{ Params: { id: string } }>('/connections/:id', serviceSide, (request, reply) => renderConnection(request, reply));

  app.post<{ Params: { id: string; action: string } }>('/connections/:id/:action', serviceSide, async (request, reply) => {
    const action = request.params.action as ConnectionActionKind;
    if (!ACTIONS.includes(action)) throw notFound('action');
    const connection = (await findConnection(app.db, request.params.id))!;
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => actOnConnection({ db: app.db, actor: request.actor!, requestId: request.id }, connection, 'link_worker', action, body), (errors) =>
      renderConnection(request, reply, errors, body),
    );
    if (!result.ok) return reply;
    return reply.redirect(`/connections/${connection.id}`);
  });

  const respond = { preValidation: requirePermission('connection.respond') };
  app.get('/provider/referrals', respond, async (request, reply) => {
    const closed = text(request.query, 'show') === 'closed';
    const rows = await providerInbox(app.db, request.actor!, request.id, { open: !closed });
    return reply.page('connections/provider-inbox.njk', { title: 'Referrals', rows, closed, labels: LABELS });
  });

  const providerSide = { preValidation: [requirePermission('connection.respond'), referralToProvider] };
  const renderReferral = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: Record<string, string>, values: Record<string, unknown> = {}) => {
    const referral = await connectionForProvider(app.db, request.actor!, request.params.id, request.id);
    return reply.page('connections/provider-referral.njk', {
      title: `Referral to ${referral.serviceName}`,
      referral,
      labels: LABELS,
      errors,
      values,
      today: splitIsoDate(todayInLondon()),
      declineItems: Object.entries(DECLINE_REASONS).map(([value, label]) => ({ value, text: label, checked: value === values.reason })),
    });
  };
  app.get<{ Params: { id: string } }>('/provider/referrals/:id', providerSide, (request, reply) => renderReferral(request, reply));

  app.post<{ Params: { id: string; action: string } }>('/provider/referrals/:id/:action', providerSide, async (request, reply) => {
    const action = request.params.action as ConnectionActionKind;
    if (!ACTIONS.includes(action) || action === 'withdrawn') throw notFound('action');
    const connection = (await findConnection(app.db, request.params.id))!;
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => actOnConnection({ db: app.db, actor: request.actor!, requestId: request.id }, connection, 'provider', action, body), (errors) =>
      renderReferral(request, reply, errors, body),
    );
    if (!result.ok) return reply;
    return reply.redirect(`/provider/referrals/${connection.id}`);
  });
}
