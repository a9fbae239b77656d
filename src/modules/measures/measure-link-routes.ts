import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { AppError } from '../../platform/errors.js';
import { withForm } from '../../platform/forms.js';
import { textList } from '../../shared/form.js';
import { DESCRIBED_BENEFITS } from '../../shared/vocabulary.js';
import { episodeInScope } from '../casework/casework-routes.js';
import { episodeWithPerson } from '../casework/casework-service.js';
import { createMeasureLink, LINK_DAYS, openMeasureLink, saveBenefits, submitMeasureLink } from './measure-links.js';
import { serviceMeasures, TIMEPOINTS } from './measure-service.js';

const benefitItems = (values: Record<string, unknown>) => {
  const chosen = new Set(textList(values, 'described'));
  return Object.entries(DESCRIBED_BENEFITS).map(([value, label]) => ({ value, text: label, checked: chosen.has(value) }));
};

/** Links for people to answer on their own device, the public questionnaire page, and benefits entered with the person. */
export function registerMeasureLinkRoutes(app: FastifyInstance) {
  const record = { preValidation: [requirePermission('measure.record'), episodeInScope] };

  const renderNew = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
    const measures = (await serviceMeasures(app.db, episode.service_id)).filter((m) => m.enabled);
    const chosen = new Set(textList(values, 'instruments'));
    return reply.page('measures/link-new.njk', {
      title: 'Send a questionnaire link',
      episode,
      name: episode.preferred_name || episode.given_name,
      values: { days: String(LINK_DAYS.default), ...values },
      errors,
      timepointItems: Object.entries(TIMEPOINTS).map(([value, label]) => ({ value, text: label, checked: values.timepoint === value })),
      instrumentItems: measures.map((m) => ({ value: m.instrument.code, text: `${m.instrument.name} (${m.timepoints.map((t) => TIMEPOINTS[t].toLowerCase()).join(', ')})`, checked: chosen.has(m.instrument.code) })),
    });
  };

  app.get<{ Params: { id: string } }>('/episodes/:id/measure-links/new', record, (request, reply) => renderNew(request, reply, {}));

  app.post<{ Params: { id: string } }>('/episodes/:id/measure-links', record, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      async () => createMeasureLink(app.db, request.actor!, await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id), body, request.id),
      (errors) => renderNew(request, reply, body, errors),
    );
    if (!result.ok) return reply;
    return reply.code(201).page('measures/link-made.njk', {
      title: 'Questionnaire link',
      episodeId: request.params.id,
      url: `${app.config.publicUrl}/q/${result.value.token}`,
      expiresAt: result.value.expiresAt,
    });
  });

  const renderBenefits = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
    return reply.page('measures/benefits.njk', {
      title: 'What difference it made',
      episode,
      name: episode.preferred_name || episode.given_name,
      values,
      errors,
      benefitItems: benefitItems(values),
      timepointItems: [
        { value: 'discharge', text: 'Discharge', checked: values.timepoint === 'discharge' },
        { value: 'follow_up', text: 'Follow-up', checked: values.timepoint === 'follow_up' },
      ],
    });
  };
  app.get<{ Params: { id: string } }>('/episodes/:id/benefits/new', record, (request, reply) => renderBenefits(request, reply, {}));
  app.post<{ Params: { id: string } }>('/episodes/:id/benefits', record, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      async () => {
        const episode = await episodeWithPerson(app.db, request.actor!.serviceId!, request.params.id);
        await app.db.transaction().execute((trx) => saveBenefits(trx, request.actor, episode, typeof body.timepoint === 'string' ? body.timepoint : '', body, request.id));
      },
      (errors) => renderBenefits(request, reply, body, errors),
    );
    if (!result.ok) return reply;
    return reply.redirect(`/episodes/${request.params.id}#measures`);
  });

  // ——— The public questionnaire page: no account; nothing shown but a first name ———

  const renderLinkProblem = (reply: FastifyReply, error: unknown) => {
    if (error instanceof AppError && (error.status === 404 || error.status === 410)) {
      return reply.code(error.status).page('measures/link-problem.njk', { title: error.status === 404 ? 'Link not recognised' : 'Link no longer works', message: error.message });
    }
    throw error;
  };

  const renderQuestionnaire = async (request: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    let link;
    try {
      link = await openMeasureLink(app.db, request.params.token);
    } catch (error) {
      return renderLinkProblem(reply, error);
    }
    reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store');
    return reply.page('measures/questionnaire.njk', {
      title: 'Your questionnaire',
      firstName: link.firstName,
      token: request.params.token,
      errors,
      instruments: link.instruments.map((instrument) => ({
        instrument,
        items: instrument.items.map((item) => ({
          id: `${instrument.code}_${item.id}`,
          text: item.text,
          options: (item.responses ?? instrument.responses).map((o) => ({ value: String(o.value), text: o.label, checked: values[`${instrument.code}_${item.id}`] === String(o.value) })),
        })),
      })),
      withBenefits: link.with_benefits,
      benefitItems: benefitItems(values),
      ownWords: values.ownWords,
    });
  };

  app.get<{ Params: { token: string } }>('/q/:token', (request, reply) => renderQuestionnaire(request, reply, {}));

  app.post<{ Params: { token: string } }>('/q/:token', { config: { rateLimit: { max: 20, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    try {
      const result = await withForm(reply, () => submitMeasureLink(app.db, request.params.token, body, request.id), (errors) => renderQuestionnaire(request, reply, body, errors));
      if (!result.ok) return reply;
    } catch (error) {
      return renderLinkProblem(reply, error);
    }
    reply.header('cache-control', 'no-store');
    return reply.page('measures/questionnaire-done.njk', { title: 'Thank you' });
  });
}
