import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { AppError, badRequest, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import type { Point } from '../../shared/outcodes.js';
import { normalisePostcodeOrOutward } from '../../shared/postcode.js';
import { locatePostcode } from '../directory/directory-details-repository.js';
import { EMPTY_QUERY, type SearchQuery } from '../directory/search-query.js';
import { NEED_DOMAIN_TAXONOMY, taxonomyId } from '../directory/taxonomies.js';

/** Reading and checking the ORUK API's query parameters. Every problem is a 400 naming the parameter. */

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 50;
export const MAX_PROXIMITY_METRES = 100_000;

interface KnownTerm {
  id: string;
  code: string;
  directory_taxonomy_id: string;
}
let terms: Map<string, KnownTerm> | undefined;
/** The taxonomy terms, read once: they are reference data shipped with the app. */
async function knownTerms(db: Kysely<Schema>): Promise<Map<string, KnownTerm>> {
  if (terms) return terms;
  const loaded = new Map((await db.selectFrom('directory_taxonomy_term').select(['id', 'code', 'directory_taxonomy_id']).execute()).map((t) => [t.id, t]));
  if (loaded.size) terms = loaded;
  return loaded;
}

export interface OrukParams {
  /** format=ndjson: every match, one JSON record a line, no pages (/services only). */
  ndjson: boolean;
  page: number;
  perPage: number;
  search: string;
  full: boolean;
  origin: Point | null;
  proximity: number | null;
  query: SearchQuery;
}

function bool(input: unknown, field: string, errors: FieldErrors): boolean {
  const value = text(input, field).toLowerCase();
  if (!value) return false;
  if (value === 'true' || value === '1') return true;
  if (value !== 'false' && value !== '0') errors[field] = `${field} must be true or false`;
  return false;
}

function whole(input: unknown, field: string, fallback: number, min: number, max: number, errors: FieldErrors): number {
  const value = text(input, field);
  if (!value) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    errors[field] = `${field} must be a whole number from ${min} to ${max}`;
    return fallback;
  }
  return Number(value);
}

export async function readOrukParams(db: Kysely<Schema>, input: unknown, options: { streams?: boolean } = {}): Promise<OrukParams> {
  const errors: FieldErrors = {};
  const format = text(input, 'format').toLowerCase();
  if (format && format !== 'json' && format !== 'ndjson') errors.format = 'format must be json or ndjson';
  else if (format === 'ndjson' && !options.streams) errors.format = 'format=ndjson is offered by /services only; this list comes in pages of JSON';
  // ORUK leaves the shape of a "minimal" answer open; ndjson is how to take everything in one call here.
  if (bool(input, 'minimal', errors)) errors.minimal = 'minimal is not offered: ask /services?format=ndjson for every service in one call';
  const page = whole(input, 'page', 1, 1, 100_000, errors);
  const perPage = whole(input, 'per_page', DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors);
  const search = text(input, 'search').slice(0, 200);
  const full = bool(input, 'full', errors);
  const query: SearchQuery = { ...EMPTY_QUERY, q: search, includeInactive: true, page, perPage };

  const termId = text(input, 'taxonomy_term_id');
  if (termId) {
    const term = isUuid(termId) ? (await knownTerms(db)).get(termId) : undefined;
    if (!term) errors.taxonomy_term_id = `There is no taxonomy term with id ${termId.slice(0, 60)}: see /openreferral/taxonomy_terms`;
    else if (term.directory_taxonomy_id === taxonomyId(NEED_DOMAIN_TAXONOMY)) query.need = term.code;
    else query.termId = term.id;
  }
  const taxonomy = text(input, 'taxonomy_id');
  if (taxonomy && !(isUuid(taxonomy) && [...(await knownTerms(db)).values()].some((t) => t.directory_taxonomy_id === taxonomy))) {
    errors.taxonomy_id = `There is no taxonomy with id ${taxonomy.slice(0, 60)}: see /openreferral/taxonomies`;
  }
  const organisation = text(input, 'organization_id');
  if (organisation && !isUuid(organisation)) errors.organization_id = 'organization_id must be a UUID';
  else if (organisation) query.organisationId = organisation;
  const modifiedAfter = text(input, 'modified_after');
  if (modifiedAfter) {
    const when = new Date(modifiedAfter);
    if (Number.isNaN(when.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(modifiedAfter)) errors.modified_after = 'modified_after must be a date and time, like 2026-01-31T09:00:00Z';
    else query.modifiedAfter = when;
  }

  const postcode = text(input, 'postcode');
  const proximityText = text(input, 'proximity');
  let origin: Point | null = null;
  let proximity: number | null = null;
  if (postcode) {
    if (!normalisePostcodeOrOutward(postcode)) errors.postcode = 'postcode must be a UK postcode, like DN15 7AB, or its first part, like DN15';
    else {
      origin = (await locatePostcode(db, postcode)) ?? null;
      if (!origin) errors.postcode = `The location of ${postcode.toUpperCase().slice(0, 10)} is not known`;
    }
  }
  if (proximityText) {
    const metres = Number(proximityText);
    if (!Number.isFinite(metres) || metres <= 0 || metres > MAX_PROXIMITY_METRES) errors.proximity = `proximity is in metres, from 1 to ${MAX_PROXIMITY_METRES}`;
    else if (!postcode) errors.proximity = 'proximity needs a postcode to measure from';
    else proximity = metres;
  }
  if (Object.keys(errors).length) throw badRequest('Some query parameters are not valid. See fields for what to change.', errors);
  if (origin && proximity !== null) query.radiusMetres = proximity;
  return { ndjson: format === 'ndjson', page, perPage, search, full, origin, proximity, query: { ...query, taxonomyId: taxonomy } };
}

/** A page past the end is a 404 that says where the end is; an empty list's only page is page 1. */
export function checkPage(page: number, total: number, perPage: number): void {
  const last = Math.max(1, Math.ceil(total / perPage));
  if (page > last) throw new AppError(404, `Page ${page} is past the last page, ${last}.`, { page: `There ${last === 1 ? 'is 1 page' : `are ${last} pages`} of ${perPage}` });
}
