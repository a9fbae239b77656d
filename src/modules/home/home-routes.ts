import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { START_PAGES } from '../../platform/navigation.js';
import { freshnessByOrganisation, ownEntries, staleServices, FRESHNESS_DAYS } from '../directory/directory-entries.js';
import { commissionedServices, organisationOverview, serviceOverview } from './home-service.js';

/** Each role's start page: what they work with, from real data. Later capabilities add to these pages. */
export function registerHomeRoutes(app: FastifyInstance) {
  app.get('/link-worker', { preValidation: requirePermission('team.view') }, async (request, reply) => {
    const overview = await serviceOverview(app.db, request.actor!);
    return reply.page('home/link-worker.njk', { title: 'My service', overview, columns: 'full' });
  });

  app.get(START_PAGES.service_manager, { preValidation: requirePermission('team.view') }, async (request, reply) => {
    const overview = await serviceOverview(app.db, request.actor!);
    return reply.page('home/manager.njk', { title: 'Team', overview, columns: 'full' });
  });

  app.get(START_PAGES.referrer, { preValidation: requirePermission('practice.view') }, async (request, reply) => {
    const overview = await organisationOverview(app.db, request.actor!);
    return reply.page('home/referrer.njk', { title: 'My practice', overview, columns: 'full' });
  });

  app.get(START_PAGES.provider, { preValidation: requirePermission('organisation.view_own') }, async (request, reply) => {
    const overview = await organisationOverview(app.db, request.actor!);
    const [stale, entries] = await Promise.all([
      staleServices(app.db, { organisationId: request.actor!.organisationId, limit: 50 }),
      ownEntries(app.db, request.actor!.organisationId),
    ]);
    return reply.page('home/provider.njk', { title: 'My organisation', overview, stale, entries, staleDays: FRESHNESS_DAYS, columns: 'full' });
  });

  app.get(START_PAGES.directory_editor, { preValidation: requirePermission('organisation.view_own') }, async (request, reply) => {
    const overview = await organisationOverview(app.db, request.actor!);
    const [stale, freshness] = await Promise.all([staleServices(app.db, { limit: 100 }), freshnessByOrganisation(app.db)]);
    return reply.page('home/directory-editor.njk', { title: 'Directory editing', overview, stale, freshness, staleDays: FRESHNESS_DAYS, columns: 'full' });
  });

  app.get(START_PAGES.commissioner, { preValidation: requirePermission('commissioning.view') }, async (request, reply) => {
    const services = await commissionedServices(app.db, request.actor!);
    return reply.page('home/commissioner.njk', { title: 'Services you commission', services, columns: 'full' });
  });
}
