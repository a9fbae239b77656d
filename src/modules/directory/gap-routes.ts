import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { withForm } from '../../platform/forms.js';
import { text } from '../../shared/form.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';
import { gapRegister, gapRegisterCsv, markGapMet } from './gap-register.js';

/** The manager's gaps register, marking gaps met, and the CSV exports (suppressed for commissioners). */
export function registerGapRoutes(app: FastifyInstance) {
  const register = { preValidation: requirePermission('gap.register') };

  const render = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>, values: Record<string, unknown> = {}) => {
    const needText = text(request.query, 'need');
    const need = isOneOf(NEED_DOMAINS, needText) ? needText : '';
    const groups = await gapRegister(app.db, [request.actor!.serviceId!], need ? { need } : {});
    const needs = [...new Set(groups.map((g) => g.needDomain))];
    const services = needs.length
      ? await app.db
          .selectFrom('directory_service')
          .select(['id', 'name', 'need_domains'])
          .where('status', 'in', ['active', 'online_only'])
          .where((eb) => eb.or(needs.map((n) => eb(eb.val(n), '=', eb.fn.any('need_domains')))))
          .orderBy('name')
          .limit(500)
          .execute()
      : [];
    return reply.page('directory/gaps.njk', {
      title: 'Provision gaps',
      groups: groups.map((g) => ({
        ...g,
        needLabel: NEED_DOMAINS[g.needDomain as keyof typeof NEED_DOMAINS] ?? g.needDomain,
        serviceOptions: [{ value: '', text: 'Select a service' }, ...services.filter((s) => s.need_domains.includes(g.needDomain)).slice(0, 200).map((s) => ({ value: s.id, text: s.name }))],
      })),
      need,
      needOptions: [{ value: '', text: 'All needs' }, ...Object.entries(NEED_DOMAINS).map(([value, label]) => ({ value, text: label, selected: value === need }))],
      errors,
      values,
      met: text(request.query, 'met'),
      columns: 'full',
    });
  };

  app.get('/gaps', register, (request, reply) => render(request, reply));

  app.post('/gaps/met', register, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => markGapMet(app.db, request.actor!, body, request.id), (errors) => render(request, reply, errors, body));
    if (!result.ok) return reply;
    return reply.redirect(`/gaps?met=${result.value}`);
  });

  const exporting = { preValidation: requirePermission('gap.export') };
  const csv = (reply: FastifyReply, name: string, body: string) =>
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`).send(body);

  app.get('/gaps.csv', exporting, async (request, reply) => {
    const actor = request.actor!;
    if (actor.role === 'commissioner') {
      const services = await app.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').where('parent_id', '=', actor.organisationId).execute();
      return csv(reply, 'provision-gaps', gapRegisterCsv(await gapRegister(app.db, services.map((s) => s.id)), { suppress: true }));
    }
    return csv(reply, 'provision-gaps', gapRegisterCsv(await gapRegister(app.db, [actor.serviceId!]), { suppress: false }));
  });
}
