import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can } from '../../platform/access/policy.js';
import { assertCan, requirePermission, requireRecord } from '../../platform/auth/auth-plugin.js';
import { AppError, validationFailed } from '../../platform/errors.js';
import { writeAuditAlone } from '../../platform/audit/audit-service.js';
import { withForm } from '../../platform/forms.js';
import { isUuid, safeLocalPath, text } from '../../shared/form.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { practicesOf } from '../people/people-service.js';
import { saveEntry } from './directory-editing.js';
import { getService, markVerified, serviceOwner } from './directory-entries.js';
import { searchServices } from './directory-search.js';
import { readEntryForm, type EntryInput } from './entry-form.js';
import { entryFormView, entryValues } from './entry-form-view.js';
import { editableOrganisations, originForSearch } from './directory-origin.js';
import { recordGap } from './provision-gap-service.js';
import { responsiveness } from '../connections/connection-service.js';
import { getDirectoryOrganisation, linkableOrganisations, updateDirectoryOrganisation } from './directory-organisations.js';
import { DAY_NAMES, DELIVERY, RADIUS_MILES, REFERRAL_MODES, SERVICE_STATUS, searchParams, readSearchQuery } from './search-query.js';
import { TIMES_OF_DAY } from './schedules.js';
import { broadServiceTypeOptions, serviceTypeCodes } from './taxonomies.js';

/** May this actor change this entry? Editors any, providers their own organisation's. */
export const entryRecord = (permission: 'directory.verify' | 'directory.edit') =>
  requireRecord(permission, 'service', async (db, id) => {
    const owner = await serviceOwner(db, id);
    return owner && { target: { organisationId: owner.organisation_id }, record: { type: 'directory_service', id } };
  });

/** The open episode a link worker came from, if it is in their service. Showing the person's first name is a read, so audited. */
async function connectCandidate(request: FastifyRequest, episodeId: string) {
  const row = await request.server.db
    .selectFrom('episode as e')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.person_id', 'e.service_id', 'p.given_name', 'p.preferred_name'])
    .where('e.id', '=', episodeId)
    .where('e.service_id', '=', request.actor!.serviceId!)
    .where('e.status', '<>', 'closed')
    .executeTakeFirst();
  if (!row) return undefined;
  await writeAuditAlone(request.server.db, {
    actor: request.actor,
    action: 'person.read',
    recordType: 'person',
    recordId: row.person_id,
    serviceId: row.service_id,
    requestId: request.id,
    detail: { purpose: 'connect from the directory' },
  });
  return { episodeId: row.id, name: row.preferred_name || row.given_name };
}

export const LABELS = { needs: NEED_DOMAINS, status: SERVICE_STATUS, delivery: DELIVERY, referral: REFERRAL_MODES };

export function registerDirectoryRoutes(app: FastifyInstance) {
  const search = { preValidation: requirePermission('directory.search') };
  const gap = { preValidation: requirePermission('gap.record') };

  const renderGapForm = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>) => {
    const practices = await practicesOf(app.db, request.actor!.serviceId!);
    return reply.page('directory/gap.njk', {
      title: 'No suitable service',
      values,
      errors,
      needOptions: [{ value: '', text: 'Select a need' }, ...Object.entries(NEED_DOMAINS).map(([value, label]) => ({ value, text: label, selected: value === values.need }))],
      practiceOptions: [{ value: '', text: 'Select a practice (optional)' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.practiceId }))],
    });
  };

  app.get('/directory/no-suitable-service', gap, (request, reply) =>
    renderGapForm(request, reply, { need: text(request.query, 'need'), area: text(request.query, 'area').slice(0, 8), searchText: text(request.query, 'q').slice(0, 200), source: text(request.query, 'source') === 'manual' ? 'manual' : 'search' }),
  );

  app.post('/directory/no-suitable-service', gap, async (request, reply) => {
    const values = request.body as Record<string, string>;
    const result = await withForm(reply, () => recordGap(app.db, request.actor!, values, request.id), (errors) => renderGapForm(request, reply, values, errors));
    if (!result.ok) return reply;
    return reply.code(201).page('directory/gap-recorded.njk', { title: 'Gap recorded', need: NEED_DOMAINS[values.need as keyof typeof NEED_DOMAINS] });
  });

  app.get('/directory', search, async (request, reply) => {
    const { query, errors } = readSearchQuery(request.query, serviceTypeCodes());
    const origin = await originForSearch(request, query, errors);
    // A search that could not be read as asked is not run: a list that ignored the bad filter (every
    // service in the country, for a postcode we cannot place) would read as the answer.
    const invalid = Object.keys(errors).length > 0;
    const results = invalid ? { total: 0, correctedTo: undefined, rows: [] } : await searchServices(app.db, query, origin?.point ?? null);
    const pages = Math.max(1, Math.ceil(results.total / query.perPage));
    const gapArea = origin?.outward ?? '';
    return reply.page('directory/search.njk', {
      title: 'Community directory',
      query,
      origin,
      errors: invalid ? errors : undefined,
      results,
      needOptions: [{ value: '', text: 'Any need' }, ...Object.entries(NEED_DOMAINS).map(([value, label]) => ({ value, text: label, selected: value === query.need }))],
      typeOptions: [{ value: '', text: 'Any type' }, ...broadServiceTypeOptions().map((t) => ({ value: t.code, text: t.label, selected: t.code === query.type }))],
      deliveryOptions: [{ value: '', text: 'Any way' }, ...Object.entries(DELIVERY).map(([value, label]) => ({ value, text: label, selected: value === query.delivery }))],
      radiusOptions: [
        { value: '', text: 'Any distance' },
        ...RADIUS_MILES.map((miles) => ({ value: String(miles), text: `Within ${miles} mile${miles === 1 ? '' : 's'}`, selected: query.radiusMetres !== null && Math.round(query.radiusMetres / 1609.344) === miles })),
      ],
      dayItems: DAY_NAMES.map((name, index) => ({ value: String(index + 1), text: name, checked: query.days.includes(index + 1) })),
      timeOptions: [{ value: '', text: 'Any time' }, ...Object.entries(TIMES_OF_DAY).map(([value, t]) => ({ value, text: t.label, selected: value === query.time }))],
      labels: LABELS,
      previous: query.page > 1 ? `/directory?${searchParams(query, query.page - 1)}` : null,
      next: query.page < pages ? `/directory?${searchParams(query, query.page + 1)}` : null,
      sortByDistance: origin ? `/directory?${searchParams({ ...query, sort: 'distance' }, 1)}` : null,
      sortByRelevance: `/directory?${searchParams({ ...query, sort: 'relevance' }, 1)}`,
      pages,
      canRecordGap: can(request.actor, 'gap.record'),
      gapLink: `/directory/no-suitable-service?${new URLSearchParams({ ...(query.need ? { need: query.need } : {}), ...(query.q ? { q: query.q } : {}), ...(gapArea ? { area: gapArea } : {}) }).toString()}`,
      columns: 'full',
    });
  });

  app.get<{ Params: { id: string } }>('/directory/services/:id', search, async (request, reply) => {
    const service = await getService(app.db, request.params.id);
    const target = { organisationId: service.owner_organisation_id };
    // Arrived from a person's search: offer to connect them, if this actor may and the episode is theirs to see.
    const episodeId = text(request.query, 'episode');
    const connectTo = isUuid(episodeId) && can(request.actor, 'connection.manage') ? await connectCandidate(request, episodeId) : undefined;
    const answers = service.referral_mode === 'anchorpoint_referral' ? await responsiveness(app.db, service.id) : null;
    return reply.page('directory/service.njk', {
      title: service.name,
      answers,
      checked: text(request.query, 'checked') === '1',
      saved: text(request.query, 'saved') === '1',
      service,
      labels: LABELS,
      showIssues: request.actor?.role === 'directory_editor',
      canVerify: can(request.actor, 'directory.verify', target),
      canEdit: can(request.actor, 'directory.edit', target),
      canEditOrganisation: can(request.actor, 'directory.organisation'),
      connectFrom: connectTo?.episodeId,
      connectName: connectTo?.name,
    });
  });

  app.post<{ Params: { id: string } }>('/directory/services/:id/verify', { preValidation: [requirePermission('directory.verify'), entryRecord('directory.verify')] }, async (request, reply) => {
    await markVerified(app.db, request.actor!, request.params.id, request.id);
    return reply.redirect(safeLocalPath(text(request.body, 'back')) ?? `/directory/services/${request.params.id}?checked=1`);
  });

  const edit = { preValidation: [requirePermission('directory.edit'), entryRecord('directory.edit')] };
  const renderEdit = async (reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const service = await getService(app.db, id);
    return reply.page('directory/edit.njk', { ...entryFormView(values, errors), title: `Edit ${service.name}`, service, action: `/directory/services/${id}/edit` });
  };

  app.get<{ Params: { id: string } }>('/directory/services/:id/edit', edit, async (request, reply) => {
    const service = await getService(app.db, request.params.id);
    return renderEdit(reply, service.id, entryValues(service));
  });

  app.post<{ Params: { id: string } }>('/directory/services/:id/edit', edit, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      () => saveEntry(app.db, request.actor!, { serviceId: request.params.id, version: text(body, 'version') }, readEntryForm(body, serviceTypeCodes()), request.id),
      async (errors) => {
        // On a conflict the form shows the entry as it is now, with the newer version to save against.
        const fresh = errors.form ? entryValues(await getService(app.db, request.params.id)) : { ...body };
        return renderEdit(reply, request.params.id, fresh, errors);
      },
    );
    if (!result.ok) return reply;
    return reply.redirect(`/directory/services/${result.value}?saved=1`);
  });

  const organisationEdit = { preValidation: requirePermission('directory.organisation') };
  const renderOrganisation = async (reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const organisation = await getDirectoryOrganisation(app.db, id);
    const owners = await linkableOrganisations(app.db);
    return reply.page('directory/organisation-edit.njk', {
      title: `Edit ${organisation.name}`,
      organisation,
      values,
      errors,
      ownerOptions: [{ value: '', text: 'None: only directory editors may change its services' }, ...owners.map((o) => ({ value: o.id, text: o.name, selected: o.id === values.organisationId }))],
    });
  };
  app.get<{ Params: { id: string } }>('/directory/organisations/:id/edit', organisationEdit, async (request, reply) => {
    const o = await getDirectoryOrganisation(app.db, request.params.id);
    return renderOrganisation(reply, o.id, { name: o.name, description: o.description ?? '', url: o.url ?? '', email: o.email ?? '', organisationId: o.organisation_id ?? '' });
  });
  app.post<{ Params: { id: string } }>('/directory/organisations/:id/edit', organisationEdit, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(reply, () => updateDirectoryOrganisation(app.db, request.actor!, request.params.id, body, request.id), (errors) => renderOrganisation(reply, request.params.id, body, errors));
    if (!result.ok) return reply;
    const back = safeLocalPath(text(body, 'back'));
    return reply.redirect(back ?? '/directory-editor');
  });

  const create = { preValidation: requirePermission('directory.edit') };
  const renderNew = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const organisations = await editableOrganisations(request);
    return reply.page('directory/edit.njk', {
      ...entryFormView(values, errors),
      title: 'Add a service',
      action: '/directory/services/new',
      organisationOptions: [
        { value: '', text: 'Select the organisation' },
        ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === values.organisation })),
      ],
    });
  };

  app.get('/directory/services/new', create, (request, reply) => renderNew(request, reply, { status: 'active', reviewEveryDays: '90', checked: 'yes', organisation: text(request.query, 'organisation') }));

  app.post('/directory/services/new', create, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const result = await withForm(
      reply,
      async () => {
        const organisationId = text(body, 'organisation');
        const organisation = isUuid(organisationId) ? (await editableOrganisations(request)).find((o) => o.id === organisationId) : undefined;
        const errors: Record<string, string> = organisation ? {} : { organisation: 'Select the organisation that runs the service' };
        let entry: EntryInput | undefined;
        try {
          entry = readEntryForm(body, serviceTypeCodes());
        } catch (error) {
          if (!(error instanceof AppError) || error.status !== 422) throw error;
          Object.assign(errors, error.fields);
        }
        if (!organisation || !entry) throw validationFailed(errors);
        await assertCan(request, 'directory.edit', { organisationId: organisation.organisation_id }, { type: 'directory_organisation', id: organisation.id });
        return saveEntry(app.db, request.actor!, { directoryOrganisationId: organisation.id }, entry, request.id);
      },
      (errors) => renderNew(request, reply, body, errors),
    );
    if (!result.ok) return reply;
    return reply.redirect(`/directory/services/${result.value}?saved=1`);
  });
}
