import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { activityReport } from '../casework/activity-report.js';
import { reportingScope } from '../home/home-service.js';
import { outcomesReport, readReportScope } from '../measures/outcomes-report.js';
import { errors, Nullable, Uuid } from './api-schemas.js';

/** The service's reports through the API: the same scope, checks and suppression as the pages. */

const ReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'First day of the period, as YYYY-MM-DD; a year before today if not given' })),
    to: Type.Optional(Type.String({ description: 'Last day of the period, as YYYY-MM-DD; today if not given' })),
    service: Type.Optional(Type.String({ description: 'One social prescribing service’s id, for a commissioner of several' })),
    practice: Type.Optional(Type.String({ description: 'One practice’s id' })),
    linkWorker: Type.Optional(Type.String({ description: 'One link worker’s user id (managers only; a commissioner’s report is never by person)' })),
  },
  { additionalProperties: false },
);

/** A count: a number, or the text "<5" in a commissioner's report when it is 1 to 4. */
const Count = Type.Union([Type.Integer(), Type.String({ description: '"<5"' })]);
const Days = Nullable(Type.Number({ description: 'Median days; null when there is nothing to draw it from (or, for commissioners, fewer than 5)' }));

const ActivityReport = Type.Object({
  scope: Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }), suppress: Type.Boolean() }),
  holding: Type.Object(
    {
      periods: Count,
      people: Count,
      heldNow: Count,
      medianDays: Days,
      byReason: Type.Array(Type.Object({ reason: Type.String({ enum: ['no_provision', 'preparing_for_change', 'reducing_practice_burden', 'bearing_witness'] }), label: Type.String(), periods: Count, heldNow: Count, medianDays: Days })),
      byLinkWorker: Type.Array(
        Type.Object({ userId: Uuid, name: Type.String(), openEpisodes: Type.Integer(), heldNow: Type.Integer(), heldShare: Nullable(Type.Integer({ description: 'Per cent of open episodes held now' })), periods: Type.Integer(), medianDays: Days }),
        { description: 'Empty for commissioners' },
      ),
    },
    { description: 'Periods of holding under way at any time in the period; days run to the end of each, or to now' },
  ),
  discretions: Type.Object(
    {
      total: Count,
      episodes: Count,
      byKind: Type.Array(Type.Object({ kind: Type.String({ enum: ['extra_contact', 'longer_contact', 'beyond_period'] }), label: Type.String(), n: Count })),
      byLinkWorker: Type.Array(Type.Object({ userId: Uuid, name: Type.String(), total: Type.Integer(), byKind: Type.Record(Type.String(), Type.Integer()) }), { description: 'Empty for commissioners' }),
      reasons: Type.Array(Type.Object({ recordedOn: Type.String({ format: 'date' }), kind: Type.String(), label: Type.String(), reason: Type.String(), linkWorker: Type.String() }), { description: 'The latest 50, newest first; empty for commissioners' }),
    },
    { description: 'Discretions recorded in the period' },
  ),
  practices: Type.Array(
    Type.Object({ id: Uuid, name: Type.String(), referred: Count, accepted: Count, declined: Count, redirected: Count, waiting: Count, medianDaysToFirstContact: Days, closed: Count }),
    { description: 'Referrals each practice made in the period, by where they are now' },
  ),
});

const OutcomesReport = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'The report the Outcomes page shows: `scope` (the period, practices and link worker), `funnel` (referred, episodes, baseline, followUp), `instruments` (each measure’s paired change before and after, with its confidence interval and reliable change, and the baselines of those measured at the end and of the others), `ons` (each ONS4 item: movement between bands and the signed-rank test), `benefits` (what people said it gave them, and their own words), `gp` (GP appointments before and after) and `caveats`. For commissioners, a count from 1 to 4 is the text "<5", and statistics drawn from fewer than 5 people are left out, with a note saying so. An empty object when the token’s service has nothing in scope.',
  },
);

export async function registerReportsApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = { tags: ['Reports'] };


  api.get(
    '/reports/outcomes',
    {
      schema: {
        ...tags,
        summary: 'The outcomes report for the referrals received in a period (counts under 5 suppressed for commissioners)',
        querystring: ReportQuery,
        response: { 200: OutcomesReport, ...errors(400, 401, 403, 422) },
      },
      preValidation: requirePermission('report.outcomes'),
    },
    async (request) => {
      const report = await outcomesReport(api.db, readReportScope(request.query, await reportingScope(api.db, request.actor!)));
      return report ? { ...report, instruments: report.instruments.map((i) => ({ ...i, instrument: i.instrument.code })), ons: report.ons.map((o) => ({ ...o, item: o.item.id })) } : {};
    },
  );

  api.get(
    '/reports/activity',
    {
      schema: {
        ...tags,
        summary: 'The activity report for a period: holding, discretions and referrals by practice (counts under 5 suppressed for commissioners)',
        querystring: ReportQuery,
        response: { 200: Nullable(ActivityReport), ...errors(400, 401, 403, 422) },
      },
      preValidation: requirePermission('report.activity'),
    },
    async (request) => activityReport(api.db, readReportScope(request.query, await reportingScope(api.db, request.actor!))),
  );
}
