import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { assertCan, requirePermission } from '../../platform/auth/auth-plugin.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { saveEntry } from '../directory/directory-editing.js';
import { getService, markVerified } from '../directory/directory-entries.js';
import { FeedError, importServices } from '../directory/directory-import-service.js';
import { originForSearch } from '../directory/directory-origin.js';
import { entryRecord } from '../directory/directory-routes.js';
import { searchServices } from '../directory/directory-search.js';
import { readEntryForm, SESSION_WEEKS } from '../directory/entry-form.js';
import { fetchFeed } from '../directory/feed-sources.js';
import type { DataIssue } from '../directory/feed-mapping.js';
import { WEEKDAY_CODES } from '../directory/schedules.js';
import { DELIVERY, PAGE_SIZE, readSearchQuery, REFERRAL_MODES, SERVICE_STATUS } from '../directory/search-query.js';
import { serviceTypeCodes } from '../directory/taxonomies.js';
import { fullService } from '../openreferral/oruk-service.js';
import { errors, IdParams, Nullable, oneOf, Uuid } from './api-schemas.js';
import { EntryRecord, ImportReport, SearchResults } from './directory-api-schemas.js';

/**
 * The directory through the JSON API, for signed-in systems: search as a link worker does (from a
 * person's episode too), read an entry, and for editors and providers change, check and import.
 * The public, standard read API is /openreferral/.
 */

const text = (maxLength: number) => Type.String({ maxLength });

const Entry = Type.Object(
  {
    name: text(300),
    description: Type.Optional(Nullable(text(5000))),
    status: oneOf(SERVICE_STATUS),
    needs: Type.Optional(Type.Array(oneOf(NEED_DOMAINS), { maxItems: 17 })),
    type: Type.Optional(Nullable(Type.String({ maxLength: 20, description: 'An Open Eligibility term code, like 108-03-06' }))),
    delivery: Type.Optional(Nullable(oneOf(DELIVERY))),
    referralMode: Type.Optional(Nullable(oneOf(REFERRAL_MODES))),
    capacityNote: Type.Optional(Nullable(text(500))),
    free: Type.Optional(Nullable(Type.Boolean())),
    fees: Type.Optional(Nullable(text(300))),
    minimumAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
    maximumAge: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
    eligibility: Type.Optional(Nullable(text(1000))),
    languages: Type.Optional(Type.Array(text(60), { maxItems: 30 })),
    accessibility: Type.Optional(Nullable(text(1000))),
    serviceArea: Type.Optional(Nullable(text(300))),
    url: Type.Optional(Nullable(text(500))),
    email: Type.Optional(Nullable(text(254))),
    phone: Type.Optional(Nullable(text(25))),
    venue: Type.Optional(Nullable(Type.Object({ name: Type.Optional(text(300)), address1: Type.Optional(text(300)), city: Type.Optional(text(100)), postcode: text(10) }, { additionalProperties: false }))),
    sessions: Type.Optional(
      Type.Array(
        Type.Object(
          { day: Type.String({ enum: [...WEEKDAY_CODES] }), week: Type.Optional(Type.String({ enum: Object.keys(SESSION_WEEKS) })), opens: Type.String({ maxLength: 8 }), closes: Type.String({ maxLength: 8 }) },
          { additionalProperties: false },
        ),
        { maxItems: 24, description: 'Errors about a session name it by its place from 1: day1, opens1, closes1…' },
      ),
    ),
    reviewEveryDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 730 })),
    checked: Type.Optional(Type.Boolean({ description: 'You have checked everything is right today: the entry is marked as verified' })),
  },
  { additionalProperties: false },
);
type EntryBody = Static<typeof Entry>;

/** The API's JSON as the entry form's fields, so both go through the same checks. */
function asForm(body: EntryBody): Record<string, unknown> {
  const form: Record<string, unknown> = {
    ...body,
    free: body.free === null || body.free === undefined ? '' : body.free ? 'yes' : 'no',
    languages: (body.languages ?? []).join(', '),
    checked: body.checked ? 'yes' : '',
    venueName: body.venue?.name ?? '',
    address1: body.venue?.address1 ?? '',
    city: body.venue?.city ?? '',
    postcode: body.venue?.postcode ?? '',
  };
  for (const [i, session] of (body.sessions ?? []).entries()) {
    form[`day${i + 1}`] = session.day;
    form[`week${i + 1}`] = session.week ?? 'every';
    form[`opens${i + 1}`] = session.opens;
    form[`closes${i + 1}`] = session.closes;
  }
  for (const [key, value] of Object.entries(form)) if (value === null || value === undefined) form[key] = '';
  return form;
}

async function entryJson(request: FastifyRequest, id: string) {
  const entry = await getService(request.server.db, id);
  return {
    ...(await fullService(request.server.db, id)),
    anchorpoint: {
      status: entry.status,
      needDomains: entry.need_domains,
      delivery: entry.delivery,
      referralMode: entry.referral_mode,
      capacityNote: entry.capacity_note,
      free: entry.free,
      stale: entry.stale,
      reviewEveryDays: entry.review_every_days,
      lastVerifiedAt: entry.last_verified_at?.toISOString() ?? null,
      verifiedBy: entry.verified_by,
      version: entry.updated_at.toISOString(),
      dataIssues: entry.data_issues as DataIssue[],
    },
  };
}

const SearchQuerystring = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words, stemmed; a misspelt word is corrected when nothing matches' })),
    need: Type.Optional(Type.String({ description: `A need domain: ${Object.keys(NEED_DOMAINS).join(', ')}` })),
    type: Type.Optional(Type.String({ description: 'An Open Eligibility service type code, like 108-07-07 (see /openreferral/taxonomy_terms)' })),
    postcode: Type.Optional(Type.String({ maxLength: 10, description: 'A full postcode, like DN15 7AB, or its first part, like DN15' })),
    episode: Type.Optional(Type.String({ description: 'Search from the postcode of this episode’s person (audited)' })),
    radius: Type.Optional(Type.String({ description: 'Miles: 1, 3, 5, 10 or 25' })),
    day: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'ISO weekday 1 (Monday) to 7, repeatable, or "weekdays"' })),
    time: Type.Optional(Type.String({ enum: ['morning', 'afternoon', 'evening'] })),
    free: Type.Optional(Type.String({ description: '`yes` for free services only' })),
    referrals: Type.Optional(Type.String({ description: '`yes` for services that take referrals through Anchorpoint only' })),
    inactive: Type.Optional(Type.String({ description: '`yes` to include paused and closed services, which are left out otherwise' })),
    age: Type.Optional(Type.String({ description: 'The person’s age in years: only services whose age range includes it' })),
    delivery: Type.Optional(Type.String({ description: `How the service is given: ${Object.keys(DELIVERY).join(', ')}` })),
    sort: Type.Optional(Type.String({ enum: ['relevance', 'distance'], description: 'distance needs a postcode or an episode' })),
    page: Type.Optional(Type.String({ description: `From 1; ${PAGE_SIZE} results a page` })),
  },
  { additionalProperties: false },
);

export async function registerDirectoryApi(plugin: FastifyInstance) {
  const api = plugin.withTypeProvider<TypeBoxTypeProvider>();
  const tags = { tags: ['Directory'] };

  api.get('/directory/search', { schema: { ...tags, summary: 'Search the directory as a link worker does', querystring: SearchQuerystring, response: { 200: SearchResults, ...errors(400, 401, 403, 404) } }, preValidation: requirePermission('directory.search') }, async (request) => {
    const { query, errors: problems } = readSearchQuery(request.query, serviceTypeCodes());
    const origin = await originForSearch(request, query, problems);
    if (Object.keys(problems).length) throw badRequest('Some search parameters are not valid. See fields for what to change.', problems);
    const results = await searchServices(api.db, query, origin?.point ?? null);
    return {
      total: results.total,
      page: query.page,
      correctedTo: results.correctedTo ?? null,
      origin: origin ? { label: origin.label, precision: origin.precision } : null,
      services: results.rows.map((r) => ({
        id: r.id,
        name: r.name,
        organisation: r.organisation_name,
        status: r.status,
        needDomains: r.need_domains,
        delivery: r.delivery,
        referralMode: r.referral_mode,
        free: r.free,
        miles: r.miles,
        nextSession: r.nextSession,
        stale: r.stale,
        lastVerifiedAt: r.last_verified_at?.toISOString() ?? null,
      })),
    };
  });

  api.get('/directory/services/:id', { schema: { ...tags, summary: 'A directory entry in full (ORUK 3.0 fields, plus what Anchorpoint adds)', params: IdParams, response: { 200: EntryRecord, ...errors(401, 403, 404) } }, preValidation: requirePermission('directory.search') }, async (request) =>
    entryJson(request, request.params.id),
  );

  const EntryWithVersion = Type.Object({ ...Entry.properties, version: Type.String({ description: 'anchorpoint.version as you last read it; a mismatch answers 409' }) }, { additionalProperties: false });
  const NewEntry = Type.Object({ ...Entry.properties, organisationId: Uuid }, { additionalProperties: false });
  api.put(
    '/directory/services/:id',
    { schema: { ...tags, summary: 'Change an entry (editors: any; providers: their own organisation’s)', params: IdParams, body: EntryWithVersion, response: { 200: EntryRecord, ...errors(400, 401, 403, 404, 409, 422) } }, preValidation: [requirePermission('directory.edit'), entryRecord('directory.edit')] },
    async (request) => {
      const { version, ...body } = request.body as EntryBody & { version: string };
      const id = await saveEntry(api.db, request.actor!, { serviceId: request.params.id, version }, readEntryForm(asForm(body), serviceTypeCodes()), request.id);
      return entryJson(request, id);
    },
  );

  api.post(
    '/directory/services',
    { schema: { ...tags, summary: 'Add a service for a directory organisation', body: NewEntry, response: { 201: EntryRecord, ...errors(400, 401, 403, 404, 422) } }, preValidation: requirePermission('directory.edit') },
    async (request, reply) => {
      const { organisationId, ...body } = request.body as EntryBody & { organisationId: string };
      const organisation = await api.db.selectFrom('directory_organisation').select(['id', 'organisation_id']).where('id', '=', organisationId).executeTakeFirst();
      if (!organisation) throw notFound('organisation');
      await assertCan(request, 'directory.edit', { organisationId: organisation.organisation_id }, { type: 'directory_organisation', id: organisation.id });
      const id = await saveEntry(api.db, request.actor!, { directoryOrganisationId: organisation.id }, readEntryForm(asForm(body), serviceTypeCodes()), request.id);
      return reply.code(201).send(await entryJson(request, id));
    },
  );

  api.post(
    '/directory/services/:id/verify',
    { schema: { ...tags, summary: 'Record that the entry has been checked today', params: IdParams, response: { 200: Type.Object({ lastVerifiedAt: Type.String({ format: 'date-time' }) }), ...errors(401, 403, 404) } }, preValidation: [requirePermission('directory.verify'), entryRecord('directory.verify')] },
    async (request) => {
      await markVerified(api.db, request.actor!, request.params.id, request.id);
      return { lastVerifiedAt: (await getService(api.db, request.params.id)).last_verified_at!.toISOString() };
    },
  );

  const ImportBody = Type.Object(
    {
      source: Type.String({ pattern: '^[A-Za-z0-9._-]{1,100}$', description: 'A short name for where the data comes from; the same name updates the same records' }),
      url: Type.Optional(Type.String({ maxLength: 2000, description: 'An Open Referral /services address, read page by page to the end' })),
      records: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 200_000, description: 'Open Referral service records (UK v1 or 3.0)' })),
    },
    { additionalProperties: false },
  );
  api.post(
    '/directory/imports',
    { schema: { ...tags, summary: 'Import services from a feed address or a list of records', body: ImportBody, bodyLimit: 50 * 1024 * 1024, response: { 201: ImportReport, ...errors(400, 401, 403, 422) } }, preValidation: requirePermission('directory.import') },
    async (request, reply) => {
      const { source, url, records } = request.body;
      if (Boolean(url) === Boolean(records)) throw badRequest('Send either url or records.', { [url ? 'records' : 'url']: 'Send either url or records, not both or neither' });
      let list: unknown[];
      try {
        list = url ? await fetchFeed(url) : records!;
      } catch (error) {
        if (error instanceof FeedError) throw badRequest(error.message, { url: error.message });
        throw error;
      }
      const report = await importServices(api.db, list, { source, format: url ? 'oruk-json-url' : 'oruk-json', actor: request.actor!, requestId: request.id });
      return reply.code(201).send(report);
    },
  );
}

