import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { todayInLondon } from '../../shared/dates.js';
import { validatePerson, type PersonDetails, type Voice } from './person-validation.js';
import * as repo from './people-repository.js';

export type { PersonDetails } from './person-validation.js';
export { dateField, flag } from './person-validation.js';

type Db = Kysely<Schema> | Transaction<Schema>;

/** Validates a person's details; the caller adds its own fields' errors to `errors` first. */
export function readPersonDetails(input: unknown, nhsNumberRequired: boolean, errors: FieldErrors, voice: Voice = 'their'): PersonDetails {
  return validatePerson(input, { nhsNumberRequired, today: todayInLondon(), voice }, errors);
}

/** A practice of the service (for "registered practice"), or an error on the field. */
export async function checkPractice(db: Db, serviceId: string, input: unknown, field: string, errors: FieldErrors): Promise<string | null> {
  const practiceId = text(input, field);
  if (!practiceId) return null;
  const practice = isUuid(practiceId)
    ? await db.selectFrom('organisation').select(['id', 'service_id', 'kind']).where('id', '=', practiceId).executeTakeFirst()
    : undefined;
  if (!practice || practice.kind !== 'gp_practice' || practice.service_id !== serviceId) {
    errors[field] = 'Select a GP practice from the list';
    return null;
  }
  return practice.id;
}

export const practicesOf = (db: Db, serviceId: string) =>
  db.selectFrom('organisation').select(['id', 'name']).where('service_id', '=', serviceId).where('kind', '=', 'gp_practice').orderBy('name').execute();

export const createPerson = repo.insertPerson;
export const findLikelyDuplicates = repo.findLikelyDuplicates;
export const findPersonTenant = repo.findPersonTenant;

/** A person's record, read by someone in their service: the read is audited in the same transaction. */
export async function readPerson(db: Kysely<Schema>, actor: Actor, personId: string, requestId: string) {
  if (!actor.serviceId || !isUuid(personId)) throw notFound('person');
  return db.transaction().execute(async (trx) => {
    const person = await repo.findPerson(trx, actor.serviceId!, personId);
    if (!person) throw notFound('person');
    await writeAudit(trx, { actor, action: 'person.read', recordType: 'person', recordId: personId, serviceId: actor.serviceId, requestId });
    return person;
  });
}

export async function updatePersonDetails(db: Kysely<Schema>, actor: Actor, personId: string, input: unknown, requestId: string) {
  const serviceId = actor.serviceId;
  if (!serviceId || !isUuid(personId)) throw notFound('person');
  const existing = await repo.findPerson(db, serviceId, personId);
  if (!existing) throw notFound('person');
  const errors: FieldErrors = {};
  const details = validatePerson(input, { nhsNumberRequired: existing.nhs_number !== null, today: todayInLondon() }, errors);
  const practiceId = await checkPractice(db, serviceId, input, 'registeredPracticeId', errors);
  if (details.nhsNumber && !errors.nhsNumber) {
    const clash = (await repo.findLikelyDuplicates(db, serviceId, { ...details, dateOfBirth: null }, personId)).find((p) => p.nhs_number === details.nhsNumber);
    if (clash) errors.nhsNumber = 'Another person in this service already has this NHS number';
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  await db.transaction().execute(async (trx) => {
    await repo.updatePerson(trx, serviceId, personId, details, practiceId);
    await writeAudit(trx, { actor, action: 'person.update', recordType: 'person', recordId: personId, serviceId, requestId });
  });
}
