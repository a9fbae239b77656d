import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { csvText, sendDownload } from '../../platform/downloads.js';
import { registerUploadRoutes, uploadedFiles } from '../../platform/uploads.js';
import { withForm } from '../../platform/forms.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { reportingScope } from '../home/home-service.js';
import { saveGpAppointments } from './measure-service.js';
import { outcomesReport, readReportScope, type OutcomesReport } from './outcomes-report.js';
import { reportFilters, reportScopeOf } from './report-filters.js';
import { formatP } from './statistics.js';
import { importGpAppointments, type GpImportReport } from './gp-import.js';

/** GP appointments on the episode, and the outcomes report with its CSV. */
export function registerReportRoutes(app: FastifyInstance) {
  const record = { preValidation: [requirePermission('measure.record'), episodeInScope] };

  const renderGp = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
    return reply.page('measures/gp-appointments.njk', { title: 'GP appointments', episode, name: episode.preferred_name || episode.given_name, values: { windowMonths: '6', ...values }, errors });
  };
  app.get<{ Params: { id: string } }>('/episodes/:id/gp-appointments', record, (request, reply) => renderGp(request, reply, {}));
  app.post<{ Params: { id: string } }>('/episodes/:id/gp-appointments', record, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      async () => saveGpAppointments(app.db, request.actor!, await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id), body, request.id),
      (errors) => renderGp(request, reply, body, errors),
    );
    return result.ok ? reply.redirect(`/episodes/${request.params.id}#measures`) : reply;
  });

  const importing = { preValidation: requirePermission('measure.import') };
  const renderImport = (reply: FastifyReply, errors?: Record<string, string>, result?: GpImportReport) =>
    reply.page('measures/gp-import.njk', { title: 'Import GP appointments', errors, result });
  app.get('/service/gp-appointments', importing, (_request, reply) => renderImport(reply));
  registerUploadRoutes(app, { fileSize: 10 * 1024 * 1024, files: 1 }, (scope) => {
    scope.post('/service/gp-appointments', importing, async (request: FastifyRequest, reply: FastifyReply) => {
      const [file] = uploadedFiles(request, 'file');
      if (!file) return renderImport(reply.code(422), { file: 'Choose the practice’s CSV file' });
      const result = await withForm(reply, async () => importGpAppointments(app.db, request.actor!, await file.text(), request.id), (errors) => renderImport(reply, errors));
      return result.ok ? renderImport(reply, undefined, result.value) : reply;
    });
  });

  const report = { preValidation: requirePermission('report.outcomes') };
  const scopeBase = (request: FastifyRequest) => reportingScope(app.db, request.actor!);

  app.get('/reports/outcomes', report, async (request, reply) => {
    const { base, scope, errors } = await reportScopeOf(app, request, reply);
    const data: OutcomesReport | null = scope ? await outcomesReport(app.db, scope) : null;
    return reply.page('measures/report.njk', {
      title: 'Outcomes report',
      ...(await reportFilters(app, request, base, data?.scope, '/reports/outcomes.csv')),
      report: data,
      errors,
      formatP,
      columns: 'full',
    });
  });

  app.get('/reports/outcomes.csv', report, async (request, reply) => {
    const data = await outcomesReport(app.db, readReportScope(request.query, await scopeBase(request)));
    const rows: unknown[][] = [['section', 'measure', 'n', 'before mean (SD)', 'after mean (SD)', 'mean change (95% CI)', 'paired t', 'Wilcoxon', 'median change', 'd_z', 'reliably improved %', 'unchanged %', 'deteriorated %']];
    if (data) {
      rows.push(['funnel', 'referred', data.funnel.referred], ['funnel', 'episodes', data.funnel.episodes], ['funnel', 'baseline', data.funnel.baseline], ['funnel', 'follow-up', data.funnel.followUp]);
      for (const i of data.instruments) {
        const s = i.summary;
        if ('notEnough' in s) rows.push(['instrument', i.instrument.shortName, s.n, s.notEnough]);
        else
          rows.push([
            'instrument', i.instrument.shortName, s.n, `${s.before.mean} (${s.before.sd ?? '-'})`, `${s.after.mean} (${s.after.sd ?? '-'})`,
            `${s.change.mean}${s.change.ci95 ? ` (${s.change.ci95[0]} to ${s.change.ci95[1]})` : ''}`,
            s.tTest ? `t(${s.tTest.df}) = ${s.tTest.t}, ${formatP(s.tTest.p)}` : '-', s.wilcoxon ? `W = ${s.wilcoxon.w}, ${formatP(s.wilcoxon.p)}` : '-',
            s.change.median, s.dz ?? '-', i.reliable?.improved ?? '', i.reliable?.unchanged ?? '', i.reliable?.deteriorated ?? '',
          ]);
      }
      for (const o of data.ons) rows.push(['ONS4', o.item.id, o.n, '', '', '', '', o.summary && !('notEnough' in o.summary) && o.summary.wilcoxon ? `W = ${o.summary.wilcoxon.w}, ${formatP(o.summary.wilcoxon.p)}` : '-', '', '', o.bands ? `better ${o.bands.better}` : '', o.bands ? `same ${o.bands.same}` : '', o.bands ? `worse ${o.bands.worse}` : '']);
      for (const b of data.benefits.counts) rows.push(['benefit', b.label, b.n]);
      for (const caveat of data.caveats) rows.push(['caveat', caveat]);
    }
    return sendDownload(reply, 'outcomes', 'csv', csvText(rows));
  });
}
