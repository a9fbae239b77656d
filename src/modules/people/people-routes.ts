import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission, requireRecord } from '../../platform/auth/auth-plugin.js';
import { withForm } from '../../platform/forms.js';
import { datePartsOf, splitIsoDate } from '../../shared/dates.js';
import { formatNhsNumber } from '../../shared/nhs-number.js';
import { CONTACT_METHODS, ETHNIC_CATEGORIES, SEXES, itemsOf } from '../../shared/vocabulary.js';
import { episodesOfPerson } from '../casework/caseload-service.js';
import { findPersonTenant, practicesOf, readPerson, updatePersonDetails } from './people-service.js';
import { contactRows } from './contact-rows.js';

type Params = { id: string };

const personInScope = requireRecord('person.read', 'person', async (db, id) => {
  const tenant = await findPersonTenant(db, id);
  return tenant && { target: { serviceIds: [tenant.service_id], caseData: true }, record: { type: 'person', id: tenant.id } };
});

export function registerPeopleRoutes(app: FastifyInstance) {
  const readPersonRoute = { preValidation: [requirePermission('person.read'), personInScope] };
  const writePersonRoute = { preValidation: [requirePermission('person.write'), personInScope] };
  app.get<{ Params: Params }>('/people/:id', readPersonRoute, async (request, reply) => {
    const actor = request.actor!;
    const person = await readPerson(app.db, actor, request.params.id, request.id);
    const episodes = await episodesOfPerson(app.db, actor.serviceId!, person.id);
    return reply.page('people/person.njk', {
      title: `${person.given_name} ${person.family_name}`,
      person,
      episodes,
      nhsNumber: person.nhs_number ? formatNhsNumber(person.nhs_number) : null,
      labels: { sex: SEXES, ethnicity: ETHNIC_CATEGORIES },
      contactRows: contactRows(person),
      isManager: actor.role === 'service_manager',
      columns: 'full',
    });
  });

  const renderEdit = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply, values?: Record<string, unknown>, errors?: Record<string, string>) => {
    const actor = request.actor!;
    const person = await readPerson(app.db, actor, request.params.id, request.id);
    const practices = await practicesOf(app.db, actor.serviceId!);
    const v: Record<string, unknown> = values ?? {
      nhsNumber: person.nhs_number ? formatNhsNumber(person.nhs_number) : '',
      givenName: person.given_name,
      familyName: person.family_name,
      preferredName: person.preferred_name,
      sex: person.sex,
      gender: person.gender,
      postcode: person.postcode,
      address: person.address,
      phone: person.phone,
      email: person.email,
      contactMethod: person.contact_method,
      contactTimes: person.contact_times,
      interpreterLanguage: person.interpreter_language,
      accessibilityNeeds: person.accessibility_needs,
      easyRead: person.easy_read,
      ethnicity: person.ethnicity,
      registeredPracticeId: person.registered_practice_id,
      consentReferral: person.consent_referral,
      consentShareProviders: person.consent_share_providers,
      consentEvaluation: person.consent_evaluation,
      ...Object.fromEntries(Object.entries(splitIsoDate(person.date_of_birth)).map(([k, val]) => [`dateOfBirth[${k}]`, val])),
    };
    return reply.page('people/edit.njk', {
      title: `Change details: ${person.given_name} ${person.family_name}`,
      person,
      values: v,
      errors,
      dob: datePartsOf(v, 'dateOfBirth'),
      sexItems: [{ value: '', text: 'Select' }, ...itemsOf(SEXES, v.sex as string)],
      ethnicityItems: [{ value: '', text: 'Select' }, ...itemsOf(ETHNIC_CATEGORIES, v.ethnicity as string)],
      contactMethodItems: itemsOf(CONTACT_METHODS, v.contactMethod as string),
      practiceItems: [{ value: '', text: 'Not known' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === v.registeredPracticeId }))],
    });
  };

  app.get<{ Params: Params }>('/people/:id/edit', writePersonRoute, (request, reply) => renderEdit(request, reply));

  app.post<{ Params: Params }>('/people/:id/edit', writePersonRoute, async (request, reply) => {
    const values = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => updatePersonDetails(app.db, request.actor!, request.params.id, values, request.id), (errors) =>
      renderEdit(request, reply, values, errors),
    );
    return result.ok ? reply.redirect(`/people/${request.params.id}?saved=1`) : reply;
  });
}
