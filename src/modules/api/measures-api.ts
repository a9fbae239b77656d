import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { reportingScope } from '../home/home-service.js';
import { INSTRUMENTS } from '../measures/instruments.js';
import { createMeasureLink } from '../measures/measure-links.js';
import { episodeMeasures, readAnswers, recordMeasure, TIMEPOINTS } from '../measures/measure-service.js';
import { outcomesReport, readReportScope } from '../measures/outcomes-report.js';
import { errors, IdParams } from './api-schemas.js';

/** Measures through the API: the same checks, scoring and audit as the pages. */

const Loose = Type.Object({}, { additionalProperties: true });

export async function registerMeasuresApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = { tags: ['Outcome measures'] };
  const record = { preValidation: [requirePermission('measure.record'), episodeInScope] };

  api.get('/episodes/:id/measures', { schema: { ...tags, summary: 'An episode’s measures over time, with the change', params: IdParams, response: { 200: Loose, ...errors(401, 403, 404) } }, ...record }, async (request) => ({
    measures: (await episodeMeasures(api.db, request.actor!.serviceId!, request.params.id)).map((m) => ({ instrument: m.instrument.code, points: m.points, change: m.change })),
  }));

  api.post(
    '/episodes/:id/measures',
    {
      schema: {
        ...tags,
        summary: 'Record a completed measure: answers are kept as given and scored by the published rule',
        params: IdParams,
        body: Type.Object(
          {
            instrument: Type.String({ enum: Object.keys(INSTRUMENTS) }),
            timepoint: Type.String({ enum: Object.keys(TIMEPOINTS) }),
            completedOn: Type.String({ format: 'date' }),
            answers: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()]), { description: 'Item id → the value chosen' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), status: Type.String() }), ...errors(400, 401, 403, 404, 422) },
      },
      ...record,
    },
    async (request, reply) => {
      const episode = await episodeWithPerson(api.db, request.actor!.serviceId!, request.params.id);
      const instrument = INSTRUMENTS[request.body.instrument]!;
      const saved = await recordMeasure({ db: api.db, actor: request.actor!, requestId: request.id }, episode, { ...request.body, answers: readAnswers(instrument, { answers: request.body.answers }) });
      return reply.code(201).send(saved);
    },
  );

  api.post(
    '/episodes/:id/measure-links',
    {
      schema: {
        ...tags,
        summary: 'Make a single-use link for the person to answer on their own device (the address is returned once)',
        params: IdParams,
        body: Type.Object(
          { timepoint: Type.String({ enum: Object.keys(TIMEPOINTS) }), instruments: Type.Array(Type.String(), { maxItems: 10 }), benefits: Type.Optional(Type.Boolean()), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...errors(400, 401, 403, 404, 422) },
      },
      ...record,
    },
    async (request, reply) => {
      const episode = await episodeWithPerson(api.db, request.actor!.serviceId!, request.params.id);
      const { token, expiresAt } = await createMeasureLink(api.db, request.actor!, episode, { ...request.body, benefits: request.body.benefits ? 'yes' : '', days: String(request.body.days ?? '') }, request.id);
      return reply.code(201).send({ url: `${api.config.publicUrl}/q/${token}`, expiresAt: expiresAt.toISOString() });
    },
  );

  api.get(
    '/reports/outcomes',
    {
      schema: {
        ...tags,
        summary: 'The outcomes report for a period (counts under 5 suppressed for commissioners)',
        querystring: Type.Object({ from: Type.Optional(Type.String()), to: Type.Optional(Type.String()), practice: Type.Optional(Type.String()), linkWorker: Type.Optional(Type.String()) }, { additionalProperties: false }),
        response: { 200: Loose, ...errors(400, 401, 403, 422) },
      },
      preValidation: requirePermission('report.outcomes'),
    },
    async (request) => {
      const report = await outcomesReport(api.db, readReportScope(request.query, await reportingScope(api.db, request.actor!)));
      return report ? { ...report, instruments: report.instruments.map((i) => ({ ...i, instrument: i.instrument.code })), ons: report.ons.map((o) => ({ ...o, item: o.item.id })) } : {};
    },
  );
}
