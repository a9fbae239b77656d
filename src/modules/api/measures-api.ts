import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { INSTRUMENTS } from '../measures/instruments.js';
import { createMeasureLink } from '../measures/measure-links.js';
import { episodeMeasures, readAnswers, recordMeasure, TIMEPOINTS } from '../measures/measure-service.js';
import { errors, IdParams, Nullable, Uuid } from './api-schemas.js';

/** Measures through the API: the same checks, scoring and audit as the pages. */

const EpisodeMeasures = Type.Object({
  measures: Type.Array(
    Type.Object({
      instrument: Type.String({ enum: Object.keys(INSTRUMENTS) }),
      points: Type.Array(
        Type.Object({
          id: Uuid,
          timepoint: Type.String({ enum: Object.keys(TIMEPOINTS) }),
          completedOn: Type.String({ format: 'date' }),
          status: Type.String({ description: 'scored, items (answered but not scored: too many missing), category (ONS loneliness) …' }),
          score: Nullable(Type.Number()),
          items: Type.Record(Type.String(), Type.Object({ value: Type.Number(), band: Nullable(Type.String()) }), { description: 'Item id → the value given and its band' }),
          category: Nullable(Type.String()),
          flags: Type.Array(Type.String()),
        }),
        { description: 'Oldest first' },
      ),
      change: Nullable(
        Type.Object(
          {
            from: Type.Number(),
            to: Type.Number(),
            delta: Type.Number(),
            kind: Nullable(Type.String({ enum: ['reliable_improvement', 'beyond_error_improvement', 'no_change', 'beyond_error_deterioration', 'reliable_deterioration'] })),
          },
          { description: 'From the first scored completion to the latest, against the instrument’s published thresholds' },
        ),
      ),
    }),
  ),
});

export async function registerMeasuresApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = { tags: ['Outcome measures'] };
  const record = { preValidation: [requirePermission('measure.record'), episodeInScope] };

  api.get('/episodes/:id/measures', { schema: { ...tags, summary: 'An episode’s measures over time, with the change', params: IdParams, response: { 200: EpisodeMeasures, ...errors(401, 403, 404) } }, ...record }, async (request) => ({
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
}
