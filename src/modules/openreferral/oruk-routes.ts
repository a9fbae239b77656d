import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { readOrukParams } from './oruk-query.js';
import * as oruk from './oruk-service.js';

/**
 * The public, read-only Open Referral UK 3.0 API over the community directory. Directory data is
 * public information about organisations, never about people, so nothing here needs signing in.
 */

export const ORUK_API_DETAILS = {
  version: 'HSDS-UK-3.0',
  profile: 'https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md',
  openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json',
};

const flag = (input: unknown, field: string) => {
  const value = text(input, field).toLowerCase();
  if (value && !['true', 'false', '1', '0'].includes(value)) throw badRequest('Some query parameters are not valid. See fields for what to change.', { [field]: `${field} must be true or false` });
  return value === 'true' || value === '1';
};

const uuidParam = (input: unknown, field: string) => {
  const value = text(input, field);
  if (value && !isUuid(value)) throw badRequest('Some query parameters are not valid. See fields for what to change.', { [field]: `${field} must be a UUID` });
  return value;
};

/**
 * Every ORUK response, errors included: how long it may be kept, and readable by a web page on any
 * site, which ORUK's compliance criteria ask of a feed ("Access-Control-Allow-Origin: *"). The API is
 * read-only GETs without credentials, so browsers send them without asking first (no preflight).
 */
const orukResponse = (maxAge: number) => ({
  onSend: async (_request: unknown, reply: { header(name: string, value: string): unknown }) => {
    reply.header('cache-control', `public, max-age=${maxAge}`);
    reply.header('access-control-allow-origin', '*');
    // helmet's default (same-origin) is for the app's pages; this data is published for anyone to use.
    reply.header('cross-origin-resource-policy', 'cross-origin');
  },
});

export function registerOpenReferralRoutes(app: FastifyInstance) {
  const db = () => app.db;

  for (const path of ['/openreferral', '/openreferral/']) app.get(path, orukResponse(3600), async () => ORUK_API_DETAILS);

  app.get('/openreferral/services', orukResponse(60), async (request, reply) => {
    const params = await readOrukParams(db(), request.query, { streams: true });
    if (!params.ndjson) return oruk.listServices(db(), params);
    return reply.type('application/x-ndjson; charset=utf-8').send(Readable.from(oruk.streamServices(db(), params)));
  });
  app.get<{ Params: { id: string } }>('/openreferral/services/:id', orukResponse(60), async (request) => oruk.fullService(db(), request.params.id));
  app.get('/openreferral/service_at_locations', orukResponse(60), async (request) => oruk.listServiceAtLocations(db(), await readOrukParams(db(), request.query)));
  app.get<{ Params: { id: string } }>('/openreferral/service_at_locations/:id', orukResponse(60), async (request) => oruk.serviceAtLocation(db(), request.params.id));
  app.get('/openreferral/organizations', orukResponse(60), async (request) => oruk.listOrganisations(db(), await readOrukParams(db(), request.query)));
  app.get<{ Params: { id: string } }>('/openreferral/organizations/:id', orukResponse(60), async (request) =>
    oruk.organisation(db(), request.params.id, flag(request.query, 'full_service')),
  );
  app.get('/openreferral/taxonomies', orukResponse(3600), async (request) => oruk.listTaxonomies(db(), await readOrukParams(db(), request.query)));
  app.get<{ Params: { id: string } }>('/openreferral/taxonomies/:id', orukResponse(3600), async (request) => oruk.taxonomy(db(), request.params.id));
  app.get('/openreferral/taxonomy_terms', orukResponse(3600), async (request) =>
    oruk.listTaxonomyTerms(db(), await readOrukParams(db(), { ...(request.query as object), taxonomy_id: undefined }), {
      taxonomyId: uuidParam(request.query, 'taxonomy_id'),
      parentId: uuidParam(request.query, 'parent_id'),
      topOnly: flag(request.query, 'top_only'),
    }),
  );
  app.get<{ Params: { id: string } }>('/openreferral/taxonomy_terms/:id', orukResponse(3600), async (request) => oruk.taxonomyTerm(db(), request.params.id));
}
