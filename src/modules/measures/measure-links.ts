import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { AppError, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { randomToken, sha256 } from '../../platform/auth/secrets.js';
import { todayInLondon } from '../../shared/dates.js';
import { text, textList } from '../../shared/form.js';
import { DESCRIBED_BENEFITS, isOneOf } from '../../shared/vocabulary.js';
import { INSTRUMENTS } from './instruments.js';
import { readAnswers, recordMeasure, serviceMeasures, TIMEPOINTS, type Timepoint } from './measure-service.js';

/**
 * Single-use links for a person to answer their questionnaires on their own device, without an
 * account: unguessable (32 random bytes; only the hash is kept), expiring, and showing nothing about
 * them but their first name. And the benefits they describe, asked at discharge and follow-up.
 */

type Db = Kysely<Schema>;
export const LINK_DAYS = { default: 14, min: 1, max: 60 };
const BENEFIT_TIMEPOINTS: readonly string[] = ['discharge', 'follow_up'];

export async function createMeasureLink(db: Db, actor: Actor, episode: { id: string; service_id: string; person_id: string }, input: unknown, requestId: string): Promise<{ token: string; expiresAt: Date }> {
  const errors: FieldErrors = {};
  const timepoint = text(input, 'timepoint');
  const codes = textList(input, 'instruments');
  const withBenefits = text(input, 'benefits') === 'yes';
  const daysText = text(input, 'days') || String(LINK_DAYS.default);
  const measures = (await serviceMeasures(db, episode.service_id)).filter((m) => m.enabled);
  if (!isOneOf(TIMEPOINTS, timepoint)) errors.timepoint = 'Select when in their support this is';
  for (const code of codes) {
    const m = measures.find((x) => x.instrument.code === code);
    if (!m) errors.instruments = 'Choose measures your service uses';
    else if (isOneOf(TIMEPOINTS, timepoint) && !m.timepoints.includes(timepoint)) errors.instruments = `${m.instrument.shortName} is not used at ${TIMEPOINTS[timepoint].toLowerCase()}`;
  }
  if (!codes.length && !withBenefits) errors.instruments = 'Choose at least one measure, or the benefits question';
  if (withBenefits && isOneOf(TIMEPOINTS, timepoint) && !BENEFIT_TIMEPOINTS.includes(timepoint)) errors.benefits = 'The benefits question is asked at discharge and follow-up';
  const days = /^\d{1,2}$/.test(daysText) ? Number(daysText) : NaN;
  if (!(days >= LINK_DAYS.min && days <= LINK_DAYS.max)) errors.days = `The link can last from ${LINK_DAYS.min} to ${LINK_DAYS.max} days`;
  if (Object.keys(errors).length) throw validationFailed(errors);
  const token = randomToken();
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('measure_link')
      .values({ token_hash: sha256(token), service_id: episode.service_id, episode_id: episode.id, timepoint, instrument_codes: codes, with_benefits: withBenefits, created_by: actor.userId, expires_at: expiresAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actor, action: 'measure.link_create', recordType: 'person', recordId: episode.person_id, serviceId: episode.service_id, requestId, detail: { link_id: row.id, timepoint, instruments: codes.join(',') } });
  });
  return { token, expiresAt };
}

const gone = (message: string) => new AppError(410, message);

/** The link and the little the page may show: the first name and the questions. */
export async function openMeasureLink(db: Db | Transaction<Schema>, token: string, options: { lock?: boolean } = {}) {
  const link = /^[A-Za-z0-9_-]{40,50}$/.test(token)
    ? await db
        .selectFrom('measure_link as l')
        .innerJoin('episode as e', 'e.id', 'l.episode_id')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['l.id', 'l.service_id', 'l.episode_id', 'l.timepoint', 'l.instrument_codes', 'l.with_benefits', 'l.expires_at', 'l.used_at', 'e.person_id', 'p.given_name', 'p.preferred_name'])
        .where('l.token_hash', '=', sha256(token))
        .$if(Boolean(options.lock), (q) => q.forUpdate())
        .executeTakeFirst()
    : undefined;
  if (!link) throw new AppError(404, 'This link is not right. Check it was copied in full, or ask your link worker for a new one.');
  if (link.used_at) throw gone('This link has already been used: your answers were saved. If you need to change something, tell your link worker.');
  if (link.expires_at.getTime() < Date.now()) throw gone('This link has expired. Ask your link worker for a new one.');
  // A measure the service has stopped using since the link was made is no longer asked.
  const inUse = (await serviceMeasures(db, link.service_id)).filter((m) => m.enabled && m.timepoints.includes(link.timepoint as Timepoint)).map((m) => m.instrument.code);
  const instruments = link.instrument_codes.filter((code) => inUse.includes(code)).map((code) => INSTRUMENTS[code]!);
  if (!instruments.length && !link.with_benefits) throw gone('The questions on this link are no longer used. Ask your link worker whether there is anything else to answer.');
  return { ...link, firstName: link.preferred_name || link.given_name, instruments };
}

/** Saves everything answered through the link, once. A second submit (or a race of two) is told it was used. */
export async function submitMeasureLink(db: Db, token: string, input: unknown, requestId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const link = await openMeasureLink(trx, token, { lock: true });
    const episode = { id: link.episode_id, service_id: link.service_id, person_id: link.person_id };
    const today = todayInLondon();
    const answered = link.instruments.map((instrument) => ({ instrument, answers: readAnswers(instrument, input) }));
    // Any question may be left out, but a form sent with nothing at all is taken for a slip: the link
    // stays open rather than being used up on an empty response.
    const nothing = answered.every(({ answers }) => !Object.keys(answers).length) && !(link.with_benefits && (textList(input, 'described').length || text(input, 'ownWords')));
    if (nothing) {
      const first = link.instruments[0];
      const field = first ? `${first.code}_${first.items[0]!.id}` : 'described';
      throw validationFailed({ [field]: 'You have not answered any of the questions. Answer the ones you want to, then send your answers' });
    }
    for (const { instrument, answers } of answered) {
      await recordMeasure({ db, actor: null, requestId }, episode, { instrument: instrument.code, timepoint: link.timepoint, completedOn: today, answers }, trx, link.id);
    }
    if (link.with_benefits) await saveBenefits(trx, null, episode, link.timepoint, input, requestId, link.id);
    await trx.updateTable('measure_link').set({ used_at: new Date() }).where('id', '=', link.id).execute();
  });
}

/** The benefits a person describes; blank is allowed (they may have none to describe). */
export async function saveBenefits(
  trx: Transaction<Schema>,
  actor: Actor | null,
  episode: { id: string; service_id: string; person_id: string },
  timepoint: string,
  input: unknown,
  requestId: string,
  linkId?: string,
): Promise<void> {
  const benefits = textList(input, 'described');
  const ownWords = text(input, 'ownWords');
  const errors: FieldErrors = {};
  if (!timepoint) errors.timepoint = 'Select whether this is at discharge or follow-up';
  else if (!BENEFIT_TIMEPOINTS.includes(timepoint)) errors.timepoint = 'The benefits question is asked at discharge and follow-up';
  if (benefits.some((b) => !isOneOf(DESCRIBED_BENEFITS, b))) errors.described = 'Choose from the list';
  if (ownWords.length > 2000) errors.ownWords = 'What is said in their own words must be 2,000 characters or fewer';
  // A person answering through their link may leave it blank; a link worker recording it says something.
  if (actor && !benefits.length && !ownWords) errors.described = 'Select what they said it gave them, or write it in their words';
  if (Object.keys(errors).length) throw validationFailed(errors);
  if (!benefits.length && !ownWords) return;
  await trx
    .insertInto('benefit_response')
    .values({ service_id: episode.service_id, episode_id: episode.id, person_id: episode.person_id, timepoint: timepoint as Timepoint, benefits, own_words: ownWords || null, completed_on: todayInLondon(), entered_by: actor?.userId ?? null, measure_link_id: linkId ?? null })
    .execute();
  await writeAudit(trx, { actor, action: 'measure.benefits', recordType: 'person', recordId: episode.person_id, serviceId: episode.service_id, requestId, detail: { timepoint, count: benefits.length, self: Boolean(linkId) } });
}
