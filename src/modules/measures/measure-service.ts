import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { validationFailed, type FieldErrors } from '../../platform/errors.js';
import { textList } from '../../shared/form.js';
import { todayInLondon } from '../../shared/dates.js';
import { INSTRUMENTS, type Instrument } from './instruments.js';
import { classifyChange, score, type Answers, type ChangeKind } from './scoring.js';

/** Collecting outcome measures for an episode, and reading them back over time. */

type Db = Kysely<Schema> | Transaction<Schema>;

export const TIMEPOINTS = { baseline: 'Baseline', review: 'Review', discharge: 'Discharge', follow_up: 'Follow-up' } as const;
export type Timepoint = keyof typeof TIMEPOINTS;

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  reliable_improvement: 'a reliable improvement',
  beyond_error_improvement: 'an improvement beyond measurement error, short of reliable change',
  no_change: 'within measurement error: no meaningful change',
  beyond_error_deterioration: 'a deterioration beyond measurement error, short of reliable change',
  reliable_deterioration: 'a reliable deterioration',
};

/** What a service uses until it chooses: SWEMWBS and ONS4 at baseline, discharge and follow-up. */
export const DEFAULT_MEASURES: { code: string; timepoints: Timepoint[] }[] = [
  { code: 'swemwbs', timepoints: ['baseline', 'discharge', 'follow_up'] },
  { code: 'ons4', timepoints: ['baseline', 'discharge', 'follow_up'] },
];

export async function serviceMeasures(db: Db, serviceId: string): Promise<{ instrument: Instrument; timepoints: Timepoint[]; enabled: boolean }[]> {
  const rows = await db.selectFrom('measure_setting').selectAll().where('service_id', '=', serviceId).execute();
  const chosen = rows.length ? rows.map((r) => ({ code: r.instrument_code, timepoints: r.timepoints as Timepoint[], enabled: r.enabled })) : DEFAULT_MEASURES.map((m) => ({ ...m, enabled: true }));
  return chosen.filter((c) => INSTRUMENTS[c.code]).map((c) => ({ instrument: INSTRUMENTS[c.code]!, timepoints: c.timepoints, enabled: c.enabled && INSTRUMENTS[c.code]!.available }));
}

export interface MeasureContext {
  db: Kysely<Schema>;
  actor: Actor | null;
  requestId: string;
}

/** Answers from a form or JSON: `item_<id>` fields (or an `answers` object), numbers as given, blanks left out. */
export function readAnswers(instrument: Instrument, input: unknown): Answers {
  const fromObject = (input as { answers?: Record<string, unknown> } | undefined)?.answers;
  const answers: Answers = {};
  for (const item of instrument.items) {
    const raw = fromObject ? fromObject[item.id] : (input as Record<string, unknown> | undefined)?.[`${instrument.code}_${item.id}`];
    if (raw === undefined || raw === null || raw === '') continue;
    // Kept as given: a number if it reads as one, else the text itself, which scoring flags.
    const given = typeof raw === 'number' ? raw : typeof raw === 'string' ? raw.trim() : JSON.stringify(raw);
    const value = typeof given === 'number' ? given : Number(given);
    answers[item.id] = Number.isNaN(value) || given === '' ? (given as unknown as number) : value;
  }
  return answers;
}

/**
 * Records one completion. The answers are kept exactly as given and scored by the published rule;
 * what cannot be scored says why. Refused only when the request itself is wrong: an instrument the
 * service does not use now, a timepoint it is not used at, a date in the future or before the baseline.
 */
export async function recordMeasure(
  ctx: MeasureContext,
  episode: { id: string; service_id: string; person_id: string },
  input: { instrument: string; timepoint: string; completedOn: string; answers: Answers },
  trxIn?: Transaction<Schema>,
  linkId?: string,
): Promise<{ id: string; status: string }> {
  const errors: FieldErrors = {};
  const measures = await serviceMeasures(trxIn ?? ctx.db, episode.service_id);
  const setting = measures.find((m) => m.instrument.code === input.instrument);
  if (!setting || !setting.enabled) errors.instrument = 'This service does not use that measure now: choose one from the list';
  else if (!Object.hasOwn(TIMEPOINTS, input.timepoint)) errors.timepoint = 'Select when in their support this is';
  else if (!setting.timepoints.includes(input.timepoint as Timepoint)) errors.timepoint = `The service uses ${setting.instrument.shortName} at ${setting.timepoints.map((t) => TIMEPOINTS[t].toLowerCase()).join(', ')}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.completedOn)) errors.completedOn = 'Enter the date it was completed';
  else if (input.completedOn > todayInLondon()) errors.completedOn = 'The date it was completed must be today or in the past';
  if (!errors.instrument && !errors.completedOn && input.timepoint !== 'baseline') {
    const baseline = await (trxIn ?? ctx.db)
      .selectFrom('measure_response')
      .select('completed_on')
      .where('episode_id', '=', episode.id)
      .where('instrument_code', '=', input.instrument)
      .where('timepoint', '=', 'baseline')
      .orderBy('completed_on')
      .executeTakeFirst();
    if (baseline && input.completedOn < baseline.completed_on) errors.completedOn = `This is before the baseline (${baseline.completed_on}): check the date`;
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  const instrument = setting!.instrument;
  const result = score(instrument, input.answers);
  const save = async (trx: Transaction<Schema>) => {
    const row = await trx
      .insertInto('measure_response')
      .values({
        service_id: episode.service_id,
        episode_id: episode.id,
        person_id: episode.person_id,
        instrument_code: instrument.code,
        timepoint: input.timepoint,
        answers: JSON.stringify(input.answers),
        status: result.status === 'unavailable' ? 'invalid' : result.status,
        score: result.status === 'scored' ? result.score : null,
        raw: result.status === 'scored' ? result.raw : null,
        item_results: JSON.stringify('items' in result ? result.items : result.status === 'category' ? { value: result.value, label: result.label } : {}),
        flags: JSON.stringify(result.flags),
        completed_on: input.completedOn,
        entered_by: ctx.actor?.userId ?? null,
        measure_link_id: linkId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'measure.record',
      recordType: 'person',
      recordId: episode.person_id,
      serviceId: episode.service_id,
      requestId: ctx.requestId,
      detail: { instrument: instrument.code, timepoint: input.timepoint, status: result.status, self: Boolean(linkId) },
    });
    return { id: row.id, status: result.status };
  };
  return trxIn ? save(trxIn) : ctx.db.transaction().execute(save);
}

export interface MeasurePoint {
  id: string;
  timepoint: string;
  completedOn: string;
  status: string;
  score: number | null;
  items: Record<string, { value: number; band: string | null }>;
  category: string | null;
  flags: string[];
}

/** What the person said it gave them, and their GP appointments before and after: shown beside the measures. */
export async function episodeBenefitsAndAppointments(db: Db, serviceId: string, episodeId: string) {
  const [benefits, appointments] = await Promise.all([
    db.selectFrom('benefit_response').select(['timepoint', 'benefits', 'own_words', 'completed_on']).where('service_id', '=', serviceId).where('episode_id', '=', episodeId).orderBy('completed_on').execute(),
    db.selectFrom('gp_appointments').select(['period', 'window_months', 'appointments', 'source']).where('service_id', '=', serviceId).where('episode_id', '=', episodeId).execute(),
  ]);
  return { benefits, appointments: { before: appointments.find((a) => a.period === 'before') ?? null, after: appointments.find((a) => a.period === 'after') ?? null } };
}

/** Each instrument's completions for an episode, oldest first, with the change since the first scored one. */
export async function episodeMeasures(db: Db, serviceId: string, episodeId: string) {
  const rows = await db
    .selectFrom('measure_response')
    .select(['id', 'instrument_code', 'timepoint', 'completed_on', 'status', 'score', 'item_results', 'flags'])
    .where('service_id', '=', serviceId)
    .where('episode_id', '=', episodeId)
    .orderBy('completed_on')
    .orderBy('created_at')
    .execute();
  const byInstrument = new Map<string, MeasurePoint[]>();
  for (const r of rows) {
    const itemResults = r.item_results;
    const point: MeasurePoint = {
      id: r.id,
      timepoint: r.timepoint,
      completedOn: r.completed_on,
      status: r.status,
      score: r.score === null ? null : Number(r.score),
      items: r.status === 'items' || r.status === 'scored' ? (r.item_results as MeasurePoint['items']) : {},
      category: r.status === 'category' ? String(itemResults.label) : null,
      flags: r.flags,
    };
    byInstrument.set(r.instrument_code, [...(byInstrument.get(r.instrument_code) ?? []), point]);
  }
  return [...byInstrument].map(([code, points]) => {
    const instrument = INSTRUMENTS[code]!;
    const scored = points.filter((p) => p.score !== null);
    const first = scored[0];
    const last = scored.at(-1);
    const change: { from: number; to: number; delta: number; kind: ChangeKind | null } | null =
      first && last && first !== last ? { from: first.score!, to: last.score!, delta: Math.round((last.score! - first.score!) * 100) / 100, kind: classifyChange(instrument, first.score!, last.score!) } : null;
    return { instrument, points, change };
  });
}


/**
 * The service's choice of measures: for each instrument, the timepoints it is used at (none: not
 * used). Instruments that are not available (WEMWBS until its wording is entered) cannot be chosen.
 * What was collected before stays, whatever is switched off.
 */
export async function saveServiceMeasures(db: Kysely<Schema>, actor: Actor, input: unknown, requestId: string): Promise<void> {
  const serviceId = actor.serviceId!;
  const errors: FieldErrors = {};
  const rows: { code: string; timepoints: Timepoint[] }[] = [];
  for (const instrument of Object.values(INSTRUMENTS)) {
    const chosen = textList(input, `timepoints_${instrument.code}`);
    if (chosen.some((t) => !Object.hasOwn(TIMEPOINTS, t))) errors[`timepoints_${instrument.code}`] = 'Choose timepoints from the list';
    else if (chosen.length && !instrument.available) errors[`timepoints_${instrument.code}`] = instrument.unavailableReason ?? `${instrument.shortName} cannot be used yet`;
    rows.push({ code: instrument.code, timepoints: chosen as Timepoint[] });
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const values = { timepoints: row.timepoints, enabled: row.timepoints.length > 0, updated_at: new Date() };
      await trx
        .insertInto('measure_setting')
        .values({ service_id: serviceId, instrument_code: row.code, ...values })
        .onConflict((oc) => oc.columns(['service_id', 'instrument_code']).doUpdateSet(values))
        .execute();
    }
    await writeAudit(trx, { actor, action: 'service.measures', serviceId, requestId, detail: { used: rows.filter((r) => r.timepoints.length).map((r) => r.code).join(',') } });
  });
}

/** GP appointments in a window before the referral and after the episode; either may be left blank. */
export async function saveGpAppointments(db: Kysely<Schema>, actor: Actor, episode: { id: string; service_id: string; person_id: string }, input: unknown, requestId: string): Promise<void> {
  const errors: FieldErrors = {};
  const read = (field: string, max: number, label: string) => {
    const raw = (input as Record<string, unknown> | undefined)?.[field];
    const value = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
    if (!value) return null;
    if (!/^\d{1,3}$/.test(value) || Number(value) > max) {
      errors[field] = `${label} must be a whole number from 0 to ${max}`;
      return null;
    }
    return Number(value);
  };
  const window = read('windowMonths', 24, 'The window') ?? 6;
  if (window < 1) errors.windowMonths = 'The window must be a whole number from 1 to 24';
  const before = read('before', 500, 'Appointments before');
  const after = read('after', 500, 'Appointments after');
  if (before === null && after === null && !errors.before && !errors.after) errors.before = 'Enter the number of appointments before, after, or both';
  if (Object.keys(errors).length) throw validationFailed(errors);
  await db.transaction().execute(async (trx) => {
    for (const [period, appointments] of [['before', before], ['after', after]] as const) {
      if (appointments === null) continue;
      const values = { window_months: window, appointments, source: 'entered', recorded_by: actor.userId, recorded_at: new Date() };
      await trx
        .insertInto('gp_appointments')
        .values({ service_id: episode.service_id, episode_id: episode.id, period, ...values })
        .onConflict((oc) => oc.columns(['episode_id', 'period']).doUpdateSet(values))
        .execute();
    }
    await writeAudit(trx, { actor, action: 'measure.gp_appointments', recordType: 'person', recordId: episode.person_id, serviceId: episode.service_id, requestId, detail: { window } });
  });
}
