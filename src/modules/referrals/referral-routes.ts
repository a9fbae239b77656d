import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONNECTION_STATUS_LABELS } from '../connections/connection-lifecycle.js';
import { requirePermission, requireRecord } from '../../platform/auth/auth-plugin.js';
import { withForm } from '../../platform/forms.js';
import { datePartsOf, splitIsoDate } from '../../shared/dates.js';
import { formatNhsNumber } from '../../shared/nhs-number.js';
import { text } from '../../shared/form.js';
import { CONTACT_METHODS, ETHNIC_CATEGORIES, NEED_DOMAINS, SEXES, URGENCIES, itemsOf } from '../../shared/vocabulary.js';
import { practicesOf } from '../people/people-service.js';
import { REFERRAL_STATUS_LABELS } from './referral-lifecycle.js';
import * as referrals from './referral-service.js';
import { contactRows } from '../people/contact-rows.js';

type Params = { id: string };

/** Form values as typed, including lists (checkboxes) and the date input's parts. */
const formValues = (body: unknown): Record<string, unknown> => ({ ...(body as Record<string, unknown>) });

async function renderReferralForm(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) {
  const actor = request.actor!;
  const fromPractice = actor.organisationKind === 'gp_practice';
  const practices = fromPractice ? [] : await practicesOf(request.server.db, actor.serviceId!);
  const needs = ([] as string[]).concat((values.needDomains as string[] | string | undefined) ?? []);
  return reply.page('referrals/new.njk', {
    title: 'Refer someone to social prescribing',
    values,
    errors,
    fromPractice,
    needItems: itemsOf(NEED_DOMAINS, needs),
    urgencyItems: itemsOf(URGENCIES, (values.urgency as string) ?? 'routine'),
    sexItems: [{ value: '', text: 'Select' }, ...itemsOf(SEXES, values.sex as string)],
    ethnicityItems: [{ value: '', text: 'Select' }, ...itemsOf(ETHNIC_CATEGORIES, values.ethnicity as string)],
    contactMethodItems: itemsOf(CONTACT_METHODS, values.contactMethod as string),
    practiceItems: [{ value: '', text: 'Select their GP practice' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.registeredPracticeId }))],
    dob: datePartsOf(values, 'dateOfBirth'),
  });
}

/** A referral of the manager's own service, checked before its form is read. */
export const referralInScope = requireRecord('referral.triage', 'referral', async (db, id) => {
  const referral = await db.selectFrom('referral').select(['service_id', 'person_id']).where('id', '=', id).executeTakeFirst();
  return referral && { target: { serviceIds: [referral.service_id], caseData: true }, record: { type: 'person', id: referral.person_id } };
});

export function registerReferralRoutes(app: FastifyInstance) {
  const create = { preValidation: requirePermission('referral.create') };
  const track = { preValidation: requirePermission('referral.track') };
  const triage = { preValidation: requirePermission('referral.triage') };
  const triageOne = { preValidation: [requirePermission('referral.triage'), referralInScope] };

  // ——— Referrers ———

  app.get('/referrals', track, async (request, reply) => {
    const list = await referrals.referralsOfOrganisation(app.db, request.actor!);
    return reply.page('referrals/list.njk', { title: 'Referrals', referrals: list, statusLabels: REFERRAL_STATUS_LABELS, columns: 'full' });
  });

  app.get('/referrals/new', create, (request, reply) => renderReferralForm(request, reply, { urgency: 'routine', idempotencyKey: randomUUID() }));

  app.post('/referrals', create, async (request, reply) => {
    const values = formValues(request.body);
    const result = await withForm(reply, () => referrals.createReferral(app.db, request.actor!, values, request.id), (errors) =>
      renderReferralForm(request, reply, values, errors),
    );
    if (!result.ok) return reply;
    return reply.code(201).page('referrals/sent.njk', { title: 'Referral sent', reference: result.value.reference, id: result.value.id });
  });

  app.get<{ Params: Params }>('/referrals/:id', track, async (request, reply) => {
    const view = await referrals.referralForReferrer(app.db, request.actor!, request.params.id, request.id);
    return reply.page('referrals/track.njk', {
      title: `Referral ${view.referral.reference}`,
      ...view,
      nhsNumber: view.referral.nhs_number ? formatNhsNumber(view.referral.nhs_number) : null,
      statusLabel: REFERRAL_STATUS_LABELS[view.status],
      needLabels: view.referral.need_domains.map((d) => NEED_DOMAINS[d as keyof typeof NEED_DOMAINS] ?? d),
      needDomainLabels: NEED_DOMAINS,
      connectionStatus: CONNECTION_STATUS_LABELS,
    });
  });

  // ——— Triage: the service's waiting list ———

  app.get('/triage', triage, async (request, reply) => {
    const urgentOnly = text(request.query, 'urgency') === 'urgent';
    const waiting = await referrals.waitingList(app.db, request.actor!, urgentOnly);
    return reply.page('referrals/triage-list.njk', { title: 'Waiting list', waiting, urgentOnly, needDomains: NEED_DOMAINS, columns: 'full' });
  });

  const renderTriage = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const view = await referrals.readReferralForTriage(app.db, request.actor!, request.params.id, request.id);
    const linkWorkers = await referrals.linkWorkersOf(app.db, request.actor!.serviceId!);
    const values = (extra.values as Record<string, string>) ?? {};
    return reply.page('referrals/triage.njk', {
      title: `Referral ${view.referral.reference}`,
      ...view,
      statusLabel: REFERRAL_STATUS_LABELS[view.status],
      nhsNumber: view.referral.nhs_number ? formatNhsNumber(view.referral.nhs_number) : null,
      dob: splitIsoDate(view.referral.date_of_birth),
      needLabels: view.referral.need_domains.map((d) => NEED_DOMAINS[d as keyof typeof NEED_DOMAINS] ?? d),
      contactRows: contactRows(view.referral),
      linkWorkerItems: linkWorkers.map((lw) => ({
        value: lw.id,
        text: lw.display_name,
        hint: { text: `${lw.open_episodes} open episode${lw.open_episodes === 1 ? '' : 's'}` },
        checked: lw.id === values.linkWorkerUserId,
      })),
      columns: 'full',
      ...extra,
    });
  };

  app.get<{ Params: Params }>('/triage/:id', triageOne, (request, reply) => renderTriage(request, reply));

  for (const decision of ['accept', 'decline', 'redirect'] as const) {
    app.post<{ Params: Params }>(`/triage/:id/${decision}`, triageOne, async (request, reply) => {
      const values = formValues(request.body) as Record<string, string>;
      const result = await withForm(reply, () => referrals.triage(app.db, request.actor!, request.params.id, decision, values, request.id), (errors) =>
        renderTriage(request, reply, {
          // The redirect form's reason box has its own id, so the error summary links to it.
          errors: decision === 'redirect' && errors.reason ? { ...errors, 'redirect-reason': errors.reason, reason: undefined } : errors,
          values,
          openForm: decision,
        }),
      );
      if (!result.ok) return reply;
      return reply.redirect(`/triage?decided=${decision}`);
    });
  }
}
