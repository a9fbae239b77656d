import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { sendDownload } from '../../platform/downloads.js';
import { withForm } from '../../platform/forms.js';
import { text } from '../../shared/form.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';
import { reportingScope } from '../home/home-service.js';
import { gapRegister, gapRegisterCsv, markGapMet } from './gap-register.js';
import { locatePostcode } from './directory-details-repository.js';
import { searchServices } from './directory-search.js';
import { EMPTY_QUERY } from './search-query.js';

/** The manager's gaps register, marking gaps met, and the CSV exports (suppressed for commissioners). */
export function registerGapRoutes(app: FastifyInstance) {
  const register = { preValidation: requirePermission('gap.register') };

  const render = async (request: FastifyRequest, reply: FastifyReply) => {
    const needText = text(request.query, 'need');
    const need = isOneOf(NEED_DOMAINS, needText) ? needText : '';
    const groups = await gapRegister(app.db, [request.actor!.serviceId!], need ? { need } : {});
    return reply.page('directory/gaps.njk', {
      title: 'Provision gaps',
      groups: groups.map((g) => ({
        ...g,
        needLabel: NEED_DOMAINS[g.needDomain as keyof typeof NEED_DOMAINS] ?? g.needDomain,
        metLink: `/gaps/met?${new URLSearchParams({ need: g.needDomain, area: g.area ?? '' }).toString()}`,
      })),
      need,
      needOptions: [{ value: '', text: 'All needs' }, ...Object.entries(NEED_DOMAINS).map(([value, label]) => ({ value, text: label, selected: value === need }))],
      met: text(request.query, 'met'),
      columns: 'full',
    });
  };

  app.get('/gaps', register, (request, reply) => render(request, reply));

  /** Choosing the service that now meets a gap: active services for the need, nearest the area first. */
  const renderMet = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const need = typeof values.need === 'string' && isOneOf(NEED_DOMAINS, values.need) ? values.need : '';
    const area = typeof values.area === 'string' ? values.area : '';
    const origin = area ? await locatePostcode(app.db, area) : undefined;
    const results = need ? await searchServices(app.db, { ...EMPTY_QUERY, need, perPage: 20, sort: origin ? 'distance' : 'relevance' }, origin ?? null) : { rows: [] };
    return reply.page('directory/gap-met.njk', {
      title: 'Mark a gap as met',
      needLabel: need ? NEED_DOMAINS[need] : '',
      values: { need, area, directoryServiceId: values.directoryServiceId },
      errors,
      serviceItems: results.rows.map((r) => ({
        value: r.id,
        text: r.name,
        hint: { text: [r.organisation_name, r.miles !== null ? `${r.miles} miles` : null].filter(Boolean).join(' · ') },
        checked: r.id === values.directoryServiceId,
      })),
    });
  };

  app.get('/gaps/met', register, (request, reply) => renderMet(request, reply, { need: text(request.query, 'need'), area: text(request.query, 'area') }));

  app.post('/gaps/met', register, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => markGapMet(app.db, request.actor!, body, request.id), (errors) => renderMet(request, reply, body, errors));
    if (!result.ok) return reply;
    return reply.redirect(`/gaps?met=${result.value}`);
  });

  const exporting = { preValidation: requirePermission('gap.export') };

  app.get('/gaps.csv', exporting, async (request, reply) => {
    const scope = await reportingScope(app.db, request.actor!);
    return sendDownload(reply, 'provision-gaps', 'csv', gapRegisterCsv(await gapRegister(app.db, scope.serviceIds), { suppress: scope.suppress }));
  });
}
