import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { withForm } from '../../platform/forms.js';
import { datePartsOf, parseDateParts, todayInLondon } from '../../shared/dates.js';
import { validationFailed } from '../../platform/errors.js';
import { text } from '../../shared/form.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { INSTRUMENTS } from './instruments.js';
import { readAnswers, recordMeasure, saveServiceMeasures, serviceMeasures, TIMEPOINTS } from './measure-service.js';

/** The link worker records a measure with the person, on the episode. */
export function registerMeasureRoutes(app: FastifyInstance) {
  const configure = { preValidation: requirePermission('service.configure') };
  const renderSettings = async (request: FastifyRequest, reply: FastifyReply, errors?: Record<string, string>) => {
    const current = await serviceMeasures(app.db, request.actor!.serviceId!);
    return reply.page('measures/settings.njk', {
      title: 'Outcome measures',
      errors,
      saved: text(request.query, 'saved') === '1',
      rows: Object.values(INSTRUMENTS).map((instrument) => {
        const used = current.find((c) => c.instrument.code === instrument.code && c.enabled);
        return {
          instrument,
          items: Object.entries(TIMEPOINTS).map(([value, label]) => ({ value, text: label, checked: Boolean(used?.timepoints.includes(value as keyof typeof TIMEPOINTS)), disabled: !instrument.available })),
        };
      }),
    });
  };
  app.get('/service/measures', configure, (request, reply) => renderSettings(request, reply));
  app.post('/service/measures', configure, async (request, reply) => {
    const result = await withForm(reply, () => saveServiceMeasures(app.db, request.actor!, request.body, request.id), (errors) => renderSettings(request, reply, errors));
    return result.ok ? reply.redirect('/service/measures?saved=1') : reply;
  });

  const record = { preValidation: [requirePermission('measure.record'), episodeInScope] };

  const render = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
    const measures = (await serviceMeasures(app.db, episode.service_id)).filter((m) => m.enabled);
    const code = typeof values.instrument === 'string' ? values.instrument : '';
    const chosen = measures.find((m) => m.instrument.code === code);
    const today = todayInLondon();
    return reply.page('measures/record.njk', {
      title: chosen ? `${chosen.instrument.shortName} with ${episode.preferred_name || episode.given_name}` : 'Record a measure',
      episode,
      name: episode.preferred_name || episode.given_name,
      measures,
      chosen,
      values: { 'completedOn[day]': String(Number(today.slice(8, 10))), 'completedOn[month]': String(Number(today.slice(5, 7))), 'completedOn[year]': today.slice(0, 4), ...values },
      errors,
      timepointItems: chosen ? chosen.timepoints.map((t) => ({ value: t, text: TIMEPOINTS[t], checked: values.timepoint === t })) : [],
      itemChoices: chosen
        ? chosen.instrument.items.map((item) => ({
            id: `${chosen.instrument.code}_${item.id}`,
            text: item.text,
            options: (item.responses ?? chosen.instrument.responses).map((o) => ({ value: String(o.value), text: o.label, checked: values[`${chosen.instrument.code}_${item.id}`] === String(o.value) })),
          }))
        : [],
    });
  };

  app.get<{ Params: { id: string } }>('/episodes/:id/measures/new', record, (request, reply) =>
    render(request, reply, { instrument: text(request.query, 'instrument'), timepoint: text(request.query, 'timepoint') }),
  );

  app.post<{ Params: { id: string } }>('/episodes/:id/measures', record, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      async () => {
        const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
        const instrument = INSTRUMENTS[text(body, 'instrument')];
        const date = parseDateParts(datePartsOf(body, 'completedOn'), 'The date it was completed');
        if (date.error) throw validationFailed({ completedOn: date.error });
        return recordMeasure({ db: app.db, actor: request.actor!, requestId: request.id }, episode, {
          instrument: text(body, 'instrument'),
          timepoint: text(body, 'timepoint'),
          completedOn: date.date ?? '',
          answers: instrument ? readAnswers(instrument, body) : {},
        });
      },
      (errors) => render(request, reply, body, errors),
    );
    if (!result.ok) return reply;
    return reply.redirect(`/episodes/${request.params.id}?measured=${result.value.status}#measures`);
  });
}
