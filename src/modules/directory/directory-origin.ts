import type { FastifyRequest } from 'fastify';
import { assertCan } from '../../platform/auth/auth-plugin.js';
import { writeAuditAlone } from '../../platform/audit/audit-service.js';
import type { Point } from '../../shared/outcodes.js';
import { episodeTenant } from '../casework/casework-service.js';
import { locatePostcode } from './directory-details-repository.js';
import type { SearchQuery } from './search-query.js';

export interface SearchOrigin {
  point: Point;
  /** What the page says the distance is from: the postcode typed, or "<first name>'s home". */
  label: string;
  precision: 'postcode' | 'outcode';
  outward: string;
  personName: string | null;
}

/**
 * Where distances are measured from: a postcode typed, or the person's postcode when the link worker
 * searches from their record. Reading the person's postcode is checked by the policy and audited.
 * Problems are added to `errors` for the page's error summary.
 */
export async function originForSearch(request: FastifyRequest, query: SearchQuery, errors: Record<string, string>): Promise<SearchOrigin | undefined> {
  const db = request.server.db;
  if (query.episodeId) {
    const tenant = await episodeTenant(db, query.episodeId);
    if (!tenant) {
      errors.postcode = 'The person to search from was not found: search by postcode instead';
      return undefined;
    }
    await assertCan(request, 'person.read', { serviceIds: [tenant.service_id], caseData: true }, { type: 'person', id: tenant.person_id });
    const person = await db.selectFrom('person').select(['postcode', 'given_name', 'preferred_name']).where('id', '=', tenant.person_id).executeTakeFirstOrThrow();
    await writeAuditAlone(db, {
      actor: request.actor,
      action: 'person.read',
      recordType: 'person',
      recordId: tenant.person_id,
      serviceId: tenant.service_id,
      requestId: request.id,
      detail: { purpose: 'directory search from postcode' },
    });
    const name = person.preferred_name || person.given_name;
    const place = person.postcode ? await locatePostcode(db, person.postcode) : undefined;
    if (!place) {
      errors.postcode = `${name}'s record has no postcode we can locate: enter a postcode instead`;
      return undefined;
    }
    return { point: place, label: `${name}'s home (${person.postcode})`, precision: place.precision, outward: person.postcode!.split(' ')[0]!, personName: name };
  }
  if (!query.postcode) return undefined;
  const place = await locatePostcode(db, query.postcode);
  if (!place) {
    errors.postcode = `We do not know where ${query.postcode.toUpperCase()} is. Check the postcode, or enter just its first part, like DN15`;
    return undefined;
  }
  return { point: place, label: place.postcode, precision: place.precision, outward: place.postcode.split(' ')[0]!, personName: null };
}

/** The directory organisations this actor may add services to: all for editors, their own for providers. */
export function editableOrganisations(request: FastifyRequest) {
  const actor = request.actor!;
  return request.server.db
    .selectFrom('directory_organisation')
    .select(['id', 'name', 'organisation_id'])
    .$if(actor.role !== 'directory_editor', (q) => q.where('organisation_id', '=', actor.organisationId))
    .orderBy('name')
    .limit(2000)
    .execute();
}
