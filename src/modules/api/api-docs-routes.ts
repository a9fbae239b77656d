import type { FastifyInstance } from 'fastify';
import { API_DOCS_PAGE } from '../../platform/http.js';
import { apiReference, type ApiReference, type OpenApiDocument } from './api-reference.js';

/**
 * The API's documentation: a page people can read (NHS.UK styles, checked with axe like every page)
 * and the OpenAPI document for tools. Both come from the route schemas, which do not change while the
 * app runs, so the page's content is worked out once.
 */
export function registerApiDocsRoutes(app: FastifyInstance) {
  let reference: ApiReference | undefined;
  const openApi = () => app.swagger() as unknown as OpenApiDocument;

  app.get(API_DOCS_PAGE, (_request, reply) => {
    reference ??= apiReference(openApi());
    return reply.page('api/docs.njk', { title: 'API documentation', reference, columns: 'full' });
  });
  app.get(`${API_DOCS_PAGE}/json`, (_request, reply) => reply.type('application/json; charset=utf-8').send(openApi()));
}
