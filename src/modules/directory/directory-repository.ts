import { sql, type Insertable, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { DataIssue, MappedOrganisation, MappedService } from './feed-mapping.js';

type Tx = Transaction<Schema>;

/** Inserts or updates by (source, source id). Returns the id and whether it was new. */
export async function upsertOrganisation(trx: Tx, source: string, organisation: MappedOrganisation) {
  const values = {
    name: organisation.name,
    description: organisation.description,
    url: organisation.url,
    email: organisation.email,
    logo: organisation.logo,
  };
  return trx
    .insertInto('directory_organisation')
    .values({ source, source_id: organisation.sourceId, ...values })
    .onConflict((oc) => oc.columns(['source', 'source_id']).where('source_id', 'is not', null).doUpdateSet({ ...values, updated_at: new Date() }))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
}

export async function upsertService(trx: Tx, source: string, organisationId: string, service: MappedService, issues: DataIssue[], organisationName: string) {
  const values = {
    search_text: [organisationName, ...service.serviceTypes].join(' '),
    directory_organisation_id: organisationId,
    name: service.name,
    description: service.description,
    url: service.url,
    email: service.email,
    phone: service.phone,
    oruk_status: service.orukStatus,
    status: service.status,
    fees: service.fees,
    free: service.free,
    accreditations: service.accreditations,
    minimum_age: service.minimumAge,
    maximum_age: service.maximumAge,
    eligibility: service.eligibility,
    delivery: service.delivery,
    need_domains: service.needDomains,
    service_types: service.serviceTypes,
    languages: service.languages,
    last_verified_at: service.lastVerifiedAt,
    verified_by: service.verifiedBy,
    data_issues: JSON.stringify(issues),
  };
  return trx
    .insertInto('directory_service')
    .values({ source, source_id: service.sourceId, ...values })
    .onConflict((oc) => oc.columns(['source', 'source_id']).where('source_id', 'is not', null).doUpdateSet({ ...values, updated_at: new Date() }))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
}

export async function recordImport(trx: Tx, values: Insertable<Schema['directory_import']>): Promise<string> {
  return (await trx.insertInto('directory_import').values(values).returning('id').executeTakeFirstOrThrow()).id;
}
