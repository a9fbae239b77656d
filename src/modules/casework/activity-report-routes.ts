import type { FastifyInstance } from 'fastify';
import { can } from '../../platform/access/policy.js';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { csvText, sendDownload } from '../../platform/downloads.js';
import { reportingScope } from '../home/home-service.js';
import { readReportScope } from '../measures/outcomes-report.js';
import { reportFilters, reportScopeOf } from '../measures/report-filters.js';
import { activityReport, type ActivityReport } from './activity-report.js';

/** The rows of the activity report's CSV: one section a block, the same figures as the page. */
export function activityCsvRows(report: ActivityReport | null): unknown[][] {
  const rows: unknown[][] = [['section', 'row', 'measure', 'value']];
  if (!report) return rows;
  const { holding, discretions, practices } = report;
  rows.push(['holding', 'all', 'holding periods', holding.periods], ['holding', 'all', 'people held', holding.people], ['holding', 'all', 'held now', holding.heldNow], ['holding', 'all', 'median days', holding.medianDays ?? '']);
  for (const r of holding.byReason) rows.push(['holding reason', r.label, 'holding periods', r.periods], ['holding reason', r.label, 'held now', r.heldNow], ['holding reason', r.label, 'median days', r.medianDays ?? '']);
  for (const w of holding.byLinkWorker) {
    rows.push(['holding by link worker', w.name, 'open episodes', w.openEpisodes], ['holding by link worker', w.name, 'held now', w.heldNow], ['holding by link worker', w.name, 'holding periods', w.periods], ['holding by link worker', w.name, 'median days', w.medianDays ?? '']);
  }
  rows.push(['discretions', 'all', 'discretions', discretions.total], ['discretions', 'all', 'episodes', discretions.episodes]);
  for (const k of discretions.byKind) rows.push(['discretions', k.label, 'discretions', k.n]);
  for (const w of discretions.byLinkWorker) rows.push(['discretions by link worker', w.name, 'discretions', w.total]);
  for (const p of practices) {
    for (const [measure, value] of [['referred', p.referred], ['accepted', p.accepted], ['declined', p.declined], ['redirected', p.redirected], ['waiting', p.waiting], ['median days to first contact', p.medianDaysToFirstContact ?? ''], ['closed', p.closed]] as const) {
      rows.push(['practice', p.name, measure, value]);
    }
  }
  return rows;
}

/** The service activity report: holding, discretions and practices, as a page and a CSV. */
export function registerActivityReportRoutes(app: FastifyInstance) {
  const report = { preValidation: requirePermission('report.activity') };

  app.get('/reports/activity', report, async (request, reply) => {
    const { base, scope, errors } = await reportScopeOf(app, request, reply);
    const data = scope ? await activityReport(app.db, scope) : null;
    return reply.page('casework/activity-report.njk', {
      title: 'Activity report',
      ...(await reportFilters(app, request, base, data?.scope, '/reports/activity.csv')),
      report: data,
      errors,
      canSeeGaps: can(request.actor, 'gap.register'),
      linkWorkerChosen: Boolean(scope?.linkWorkerUserId),
      columns: 'full',
    });
  });

  app.get('/reports/activity.csv', report, async (request, reply) => {
    const data = await activityReport(app.db, readReportScope(request.query, await reportingScope(app.db, request.actor!)));
    return sendDownload(reply, 'activity', 'csv', csvText(activityCsvRows(data)));
  });
}
