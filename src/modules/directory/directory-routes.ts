import type { FastifyInstance } from 'fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withForm } from '../../platform/forms.js';
import { practicesOf } from '../people/people-service.js';
import { recordGap } from './provision-gap-service.js';
import { can } from '../../platform/access/policy.js';
import { requirePermission, requireRecord } from '../../platform/auth/auth-plugin.js';
import { safeLocalPath, text } from '../../shared/form.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { DELIVERY, PAGE_SIZE, SERVICE_STATUS, STALE_AFTER_DAYS, getService, markVerified, readSearchQuery, searchServices, serviceOwner } from './directory-search.js';

/** May this actor vouch for this entry? Editors for any, providers for their own organisation's. */
const verifiableByActor = requireRecord('directory.verify', 'service', async (db, id) => {
  const owner = await serviceOwner(db, id);
  return owner && { target: { organisationId: owner.organisation_id }, record: { type: 'directory_service', id } };
});

export function registerDirectoryRoutes(app: FastifyInstance) {
  const search = { preValidation: requirePermission('directory.search') };
  const gap = { preValidation: requirePermission('gap.record') };

  const renderGapForm = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>) => {
    const practices = await practicesOf(app.db, request.actor!.serviceId!);
    return reply.page('directory/gap.njk', {
      title: 'No suitable service',
      values,
      errors,
      needOptions: [{ value: '', text: 'Select a need' }, ...Object.entries(NEED_DOMAINS).map(([value, label]) => ({ value, text: label, selected: value === values.need }))],
      practiceOptions: [{ value: '', text: 'Select a practice (optional)' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.practiceId }))],
    });
  };

  app.get('/directory/no-suitable-service', gap, (request, reply) =>
    renderGapForm(request, reply, { need: text(request.query, 'need'), searchText: text(request.query, 'q').slice(0, 200) }),
  );

  app.post('/directory/no-suitable-service', gap, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => recordGap(app.db, request.actor!, values, request.id), (errors) => renderGapForm(request, reply, values, errors));
    if (!result.ok) return reply;
    return reply.code(201).page('directory/gap-recorded.njk', { title: 'Gap recorded', need: NEED_DOMAINS[values.need as keyof typeof NEED_DOMAINS] });
  });

  app.get('/directory', search, async (request, reply) => {
    const { query, errors } = readSearchQuery(request.query);
    const results = await searchServices(app.db, query);
    const pages = Math.max(1, Math.ceil(results.total / PAGE_SIZE));
    const params = (page: number) => {
      const p = new URLSearchParams();
      if (query.q) p.set('q', query.q);
      if (query.need) p.set('need', query.need);
      if (query.delivery) p.set('delivery', query.delivery);
      if (query.age !== null) p.set('age', String(query.age));
      if (query.freeOnly) p.set('free', 'yes');
      if (query.includeInactive) p.set('inactive', 'yes');
      p.set('page', String(page));
      return `/directory?${p.toString()}`;
    };
    return reply.page('directory/search.njk', {
      title: 'Community directory',
      query,
      errors: Object.keys(errors).length ? errors : undefined,
      results,
      needOptions: [{ value: '', text: 'Any need' }, ...Object.entries(NEED_DOMAINS).map(([value, text]) => ({ value, text, selected: value === query.need }))],
      deliveryOptions: [{ value: '', text: 'Any way' }, ...Object.entries(DELIVERY).map(([value, text]) => ({ value, text, selected: value === query.delivery }))],
      labels: { needs: NEED_DOMAINS, status: SERVICE_STATUS, delivery: DELIVERY },
      staleDays: STALE_AFTER_DAYS,
      previous: query.page > 1 ? params(query.page - 1) : null,
      next: query.page < pages ? params(query.page + 1) : null,
      pages,
      canRecordGap: can(request.actor, 'gap.record'),
      gapLink: `/directory/no-suitable-service?${new URLSearchParams({ ...(query.need ? { need: query.need } : {}), ...(query.q ? { q: query.q } : {}) }).toString()}`,
      columns: 'full',
    });
  });

  app.get<{ Params: { id: string } }>('/directory/services/:id', search, async (request, reply) => {
    const service = await getService(app.db, request.params.id);
    return reply.page('directory/service.njk', {
      title: service.name,
      checked: text(request.query, 'checked') === '1',
      service,
      labels: { needs: NEED_DOMAINS, status: SERVICE_STATUS, delivery: DELIVERY },
      staleDays: STALE_AFTER_DAYS,
      showIssues: request.actor?.role === 'directory_editor',
      canVerify: can(request.actor, 'directory.verify', { organisationId: (await serviceOwner(app.db, service.id))?.organisation_id ?? null }),
    });
  });

  app.post<{ Params: { id: string } }>(
    '/directory/services/:id/verify',
    { preValidation: [requirePermission('directory.verify'), verifiableByActor] },
    async (request, reply) => {
      await markVerified(app.db, request.actor!, request.params.id, request.id);
      return reply.redirect(safeLocalPath(text(request.body, 'back')) ?? `/directory/services/${request.params.id}?checked=1`);
    },
  );
}
