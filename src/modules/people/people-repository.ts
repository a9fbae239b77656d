import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { PersonDetails } from './person-validation.js';

type Db = Kysely<Schema> | Transaction<Schema>;

const columns = (details: PersonDetails) => ({
  nhs_number: details.nhsNumber,
  given_name: details.givenName,
  family_name: details.familyName,
  preferred_name: details.preferredName,
  date_of_birth: details.dateOfBirth,
  sex: details.sex,
  gender: details.gender,
  postcode: details.postcode,
  address: details.address,
  phone: details.phone,
  email: details.email,
  contact_method: details.contactMethod,
  contact_times: details.contactTimes,
  interpreter_language: details.interpreterLanguage,
  accessibility_needs: details.accessibilityNeeds,
  easy_read: details.easyRead,
  ethnicity: details.ethnicity,
  consent_referral: details.consentReferral,
  consent_share_providers: details.consentShareProviders,
  consent_evaluation: details.consentEvaluation,
});

export async function insertPerson(db: Db, serviceId: string, details: PersonDetails, registeredPracticeId: string | null): Promise<string> {
  const row = await db
    .insertInto('person')
    .values({ service_id: serviceId, registered_practice_id: registeredPracticeId, ...columns(details) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePerson(db: Db, serviceId: string, personId: string, details: PersonDetails, registeredPracticeId: string | null) {
  await db
    .updateTable('person')
    .set({ ...columns(details), registered_practice_id: registeredPracticeId, updated_at: new Date() })
    .where('service_id', '=', serviceId)
    .where('id', '=', personId)
    .execute();
}

export const findPerson = (db: Db, serviceId: string, personId: string) =>
  db
    .selectFrom('person as p')
    .leftJoin('organisation as practice', 'practice.id', 'p.registered_practice_id')
    .selectAll('p')
    .select('practice.name as practice_name')
    .where('p.service_id', '=', serviceId)
    .where('p.id', '=', personId)
    .executeTakeFirst();

/** The service a person belongs to, whatever the caller's service: for the policy to decide on, never to show. */
export const findPersonTenant = (db: Db, personId: string) =>
  db.selectFrom('person').select(['id', 'service_id']).where('id', '=', personId).executeTakeFirst();

/** Likely duplicates in the service: the same NHS number, or the same name and date of birth. */
export function findLikelyDuplicates(
  db: Db,
  serviceId: string,
  probe: { nhsNumber: string | null; givenName: string; familyName: string; dateOfBirth: string | null },
  excludeId?: string,
) {
  return db
    .selectFrom('person as p')
    .leftJoin('organisation as practice', 'practice.id', 'p.registered_practice_id')
    .select(['p.id', 'p.given_name', 'p.family_name', 'p.date_of_birth', 'p.nhs_number', 'p.postcode', 'practice.name as practice_name'])
    .where('p.service_id', '=', serviceId)
    .where((eb) => {
      const matches = [];
      if (probe.nhsNumber) matches.push(eb('p.nhs_number', '=', probe.nhsNumber));
      if (probe.dateOfBirth) {
        matches.push(
          eb.and([
            eb(eb.fn('lower', ['p.family_name']), '=', probe.familyName.toLowerCase()),
            eb(eb.fn('lower', ['p.given_name']), '=', probe.givenName.toLowerCase()),
            eb('p.date_of_birth', '=', probe.dateOfBirth),
          ]),
        );
      }
      return matches.length ? eb.or(matches) : sql<boolean>`false`;
    })
    .$if(Boolean(excludeId), (q) => q.where('p.id', '!=', excludeId!))
    .limit(5)
    .execute();
}
