import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { validationFailed, type FieldErrors } from '../../platform/errors.js';
import { text } from '../../shared/form.js';
import { normalisePostcodeOrOutward } from '../../shared/postcode.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';
import { checkPractice } from '../people/people-service.js';

/** "No suitable service": records what was needed, where, and what was missing, for the service's gaps register. */
export async function recordGap(db: Kysely<Schema>, actor: Actor, input: unknown, requestId: string): Promise<string> {
  const serviceId = actor.serviceId!;
  const errors: FieldErrors = {};
  const need = text(input, 'need');
  const area = text(input, 'area');
  const note = text(input, 'note');
  if (!isOneOf(NEED_DOMAINS, need)) errors.need = 'Select the need that nothing met';
  const place = area ? normalisePostcodeOrOutward(area) : undefined;
  if (area && !place) errors.area = 'Enter a postcode or the first part of one, like DN15';
  const practiceId = await checkPractice(db, serviceId, input, 'practiceId', errors);
  if (!area && !practiceId) errors.area = 'Say where: a postcode or its first part, or a practice';
  if (!note) errors.note = 'Say what the person needed that no service offers';
  else if (note.length > 1000) errors.note = 'What was missing must be 1,000 characters or fewer';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('provision_gap')
      .values({
        service_id: serviceId,
        need_domain: need,
        outward_code: place?.outward ?? null,
        practice_id: practiceId,
        note,
        search_text: text(input, 'searchText').slice(0, 200) || null,
        source: text(input, 'source') === 'manual' ? 'manual' : 'search',
        recorded_by_user_id: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actor, action: 'gap.record', recordType: 'provision_gap', recordId: row.id, serviceId, requestId, detail: { need } });
    return row.id;
  });
}
