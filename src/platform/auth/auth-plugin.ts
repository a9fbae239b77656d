import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { can, type Permission, type Target } from '../access/policy.js';
import { writeAuditAlone } from '../audit/audit-service.js';
import { forbidden, notFound, unauthorised } from '../errors.js';
import { isApiRequest, pathOf, wantsJson } from '../http.js';
import { isUuid } from '../../shared/form.js';
import { resolveApiToken } from './api-token-service.js';
import { SESSION_COOKIE, resolveSession } from './session-service.js';

const STATIC_PREFIXES = ['/nhsuk/', '/public/', '/assets/', '/health/'];

/** Works out who is asking: a bearer token for the API, the session cookie for pages. */
async function authPlugin(app: FastifyInstance) {
  app.decorateRequest('actor', null);
  app.decorateRequest('signedIn', null);
  app.decorateRequest('sessionEnded', false);

  app.addHook('onRequest', async (request, reply) => {
    if (STATIC_PREFIXES.some((prefix) => request.url.startsWith(prefix))) return;
    if (isApiRequest(request.url)) {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        request.actor = (await resolveApiToken(app.db, header.slice(7).trim())) ?? null;
        if (!request.actor) throw unauthorised();
      }
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await resolveSession(app.db, app.config, token);
    if (!session) {
      request.sessionEnded = true;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.signedIn = session;
    request.actor = session.actor;
  });
}

export default fp(authPlugin, { name: 'auth', dependencies: ['@fastify/cookie'] });

/**
 * A route's permission check, run before the handler. Not signed in: pages go to the
 * sign-in page (and come back), the API answers 401. Signed in without the permission: 403, audited.
 */
export function requirePermission(permission: Permission) {
  return async function checkPermission(request: FastifyRequest, reply: FastifyReply) {
    if (!request.actor) {
      if (wantsJson(request)) throw unauthorised();
      if (request.signedIn) return reply.redirect(`/choose-role?next=${encodeURIComponent(pathOf(request.url))}`);
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/sign-in${next}`);
    }
    if (!can(request.actor, permission)) {
      await writeAuditAlone(request.server.db, {
        actor: request.actor,
        action: permission,
        serviceId: request.actor.serviceId,
        outcome: 'denied',
        requestId: request.id,
        detail: { route: request.routeOptions.url ?? null },
      });
      throw forbidden();
    }
  };
}

/**
 * A record-level check for a route that has already passed `requirePermission`. A record
 * outside the actor's reach is answered as not found, so ids cannot be probed. The refusal is audited.
 */
export async function assertCan(
  request: FastifyRequest,
  permission: Permission,
  target: Target,
  record: { type: string; id: string },
): Promise<void> {
  if (can(request.actor, permission, target)) return;
  await writeAuditAlone(request.server.db, {
    actor: request.actor,
    action: permission,
    recordType: record.type,
    recordId: record.id,
    serviceId: request.actor?.serviceId ?? null,
    outcome: 'denied',
    requestId: request.id,
  });
  throw notFound('record');
}

/** What a record-scope check needs to know about the record named by the route's `:id`. */
export interface RecordScope {
  target: Target;
  /** The record the audit row is about (for case data, the person). */
  record: { type: string; id: string };
}

/**
 * A route's record check, run before its body is read: the record named by `:id` must exist and be
 * within the actor's reach for `permission`, or the answer is "not found" (and the refusal is audited).
 */
export function requireRecord(permission: Permission, what: string, resolve: (db: FastifyRequest['server']['db'], id: string) => Promise<RecordScope | undefined>) {
  return async function checkRecord(request: FastifyRequest) {
    const id = (request.params as { id?: string }).id ?? '';
    const scope = isUuid(id) ? await resolve(request.server.db, id) : undefined;
    if (!scope) throw notFound(what);
    await assertCan(request, permission, scope.target, scope.record);
  };
}
