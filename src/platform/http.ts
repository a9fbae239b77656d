import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { Schema } from '../db/schema.js';
import type { Actor } from './access/policy.js';
import type { ResolvedSession } from './auth/session-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    db: Kysely<Schema>;
    /** Every route registered, for tests that must cover them all. */
    routeTable: { method: string; url: string }[];
  }
  interface FastifyRequest {
    /** Who is acting, once signed in and a role is chosen (or through an API token). */
    actor: Actor | null;
    /** The browser session, when there is one (it may not have a role chosen yet). */
    signedIn: ResolvedSession | null;
    /** A session cookie was sent but has expired or been ended. */
    sessionEnded: boolean;
  }
  interface FastifyReply {
    page(template: string, data?: Record<string, unknown>): FastifyReply;
  }
}

/** The API's documentation is a page for people, though it lives beside the API. */
export const API_DOCS_PAGE = '/api/docs';

/** Requests to the JSON API, which authenticates with a bearer token rather than the session cookie. */
export const isApiRequest = (url: string) => url.startsWith('/api/') && pathOf(url) !== API_DOCS_PAGE;

/** Machine clients get JSON; people get pages. */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url;
  return isApiRequest(path) || path.startsWith('/health/') || path.startsWith('/openreferral');
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** The path of a request without its query string (which may hold personal data). */
export const pathOf = (url: string) => url.split('?')[0] ?? url;
