import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { datePartsOf, splitIsoDate, type DateParts } from '../../shared/dates.js';
import { reportingScope } from '../home/home-service.js';
import { practicesOf } from '../people/people-service.js';
import { readReportScope, type ReportScope } from './outcomes-report.js';

/**
 * What the service's reports share: the period, service, practice and link worker the reader chose,
 * read into a scope, and the filter form's options. A commissioner chooses among their services and
 * is never offered a link worker.
 */

/** The service's link workers a report can be by: current members, disabled accounts included (their work still counts). */
export const linkWorkersOf = (db: Kysely<Schema>, serviceId: string) =>
  db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.display_name'])
    .where('m.organisation_id', '=', serviceId)
    .where('m.role', '=', 'link_worker')
    .where('m.removed_at', 'is', null)
    .orderBy('u.display_name')
    .execute();

type ReportBase = Pick<ReportScope, 'serviceIds' | 'suppress'>;

/** What the period's date inputs show: what was typed, else the period reported on. */
function periodParts(query: Record<string, unknown>, field: 'from' | 'to', reported: string | undefined): DateParts {
  const typed = datePartsOf(query, field);
  if (typed.day || typed.month || typed.year) return typed;
  return splitIsoDate(reported ?? (typeof query[field] === 'string' ? query[field] : ''));
}

/** The request's report scope for the actor; a 422 is returned as `errors`, with the page answering 422. */
export async function reportScopeOf(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<{ base: ReportBase; scope: ReportScope | null; errors?: Record<string, string> }> {
  const base = await reportingScope(app.db, request.actor!);
  try {
    return { base, scope: readReportScope(request.query, base) };
  } catch (error) {
    if (!(error instanceof AppError) || error.status !== 422) throw error;
    reply.code(422);
    return { base, scope: null, errors: error.fields };
  }
}

/** The filter form's options and values, and the same report's CSV address. */
export async function reportFilters(app: FastifyInstance, request: FastifyRequest, base: ReportBase, reported: { from: string; to: string } | undefined, csvPath: string) {
  const actor = request.actor!;
  const query = request.query as Record<string, unknown>;
  const [practices, linkWorkers, services] = await Promise.all([
    actor.serviceId ? practicesOf(app.db, actor.serviceId) : Promise.resolve([]),
    actor.serviceId && !base.suppress ? linkWorkersOf(app.db, actor.serviceId) : Promise.resolve([]),
    base.suppress && base.serviceIds.length ? app.db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', base.serviceIds).orderBy('name').execute() : Promise.resolve([]),
  ]);
  return {
    serviceOptions: services.length ? [{ value: '', text: 'All your services' }, ...services.map((s) => ({ value: s.id, text: s.name, selected: s.id === query.service }))] : [],
    period: { from: periodParts(query, 'from', reported?.from), to: periodParts(query, 'to', reported?.to) },
    practiceOptions: [{ value: '', text: 'All practices' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === query.practice }))],
    linkWorkerOptions: base.suppress ? [] : [{ value: '', text: 'All link workers' }, ...linkWorkers.map((u) => ({ value: u.id, text: u.display_name, selected: u.id === query.linkWorker }))],
    csvLink: `${csvPath}?${new URLSearchParams(Object.entries(query).filter(([, v]) => typeof v === 'string') as [string, string][]).toString()}`,
  };
}
