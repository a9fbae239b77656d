import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { validationFailed, type FieldErrors } from '../../platform/errors.js';
import { todayInLondon } from '../../shared/dates.js';
import { isUuid, text } from '../../shared/form.js';
import { disclosed, enoughToShow, SUPPRESS_BELOW } from '../../shared/small-numbers.js';
import { DESCRIBED_BENEFITS } from '../../shared/vocabulary.js';
import { dateField } from '../people/people-service.js';
import { INSTRUMENTS } from './instruments.js';
import { classifyChange } from './scoring.js';
import { pairedSummary } from './statistics.js';

/**
 * The service's outcomes report for a period (episodes whose referral arrived in it), for a service,
 * practice or link worker: the funnel, before/after statistics per instrument, ONS4 band movement,
 * the benefits people describe, and GP appointments. Counts under five are suppressed for commissioners.
 */

export const CAVEATS = [
  'These are before-and-after figures with no comparison group: they cannot show what would have happened without social prescribing.',
  'People are often referred when things are at their worst, so some improvement is expected anyway (regression to the mean).',
  'Fewer GP appointments is not on its own a sign of success: some people need more care, not less, once their other needs are met.',
  'People measured at the end may differ from those who were not: compare the completers’ baseline with the others’ below.',
];

export interface ReportScope {
  serviceIds: string[];
  from: string;
  to: string;
  practiceId?: string;
  linkWorkerUserId?: string;
  /** Commissioners: counts under five are suppressed and people's own words are left out. */
  suppress: boolean;
}

export function readReportScope(input: unknown, base: Pick<ReportScope, 'serviceIds' | 'suppress'>): ReportScope {
  const errors: FieldErrors = {};
  const today = todayInLondon();
  const yearAgo = todayInLondon(new Date(Date.now() - 365 * 86_400_000));
  // The API gives ISO dates (`from`); the page gives the NHS date input's fields (`from[day]` …). Empty means the last year.
  const period = (field: 'from' | 'to', label: string, otherwise: string) => {
    const given = dateField(input, field, label);
    if (given.error) errors[field] = given.error;
    return given.empty ? otherwise : given.date;
  };
  const from = period('from', 'Start date', yearAgo);
  const to = period('to', 'End date', today);
  if (from && to && from > to) errors.to = 'The end date must be on or after the start date';
  const service = text(input, 'service');
  if (service && !base.serviceIds.includes(service)) errors.service = 'Select a service from the list';
  const practiceId = text(input, 'practice');
  const linkWorker = text(input, 'linkWorker');
  if (practiceId && !isUuid(practiceId)) errors.practice = 'Select a practice from the list';
  if (linkWorker && !isUuid(linkWorker)) errors.linkWorker = 'Select a link worker from the list';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { ...base, ...(service ? { serviceIds: [service] } : {}), from: from!, to: to!, ...(practiceId ? { practiceId } : {}), ...(linkWorker && !base.suppress ? { linkWorkerUserId: linkWorker } : {}) };
}

const count = (n: number, scope: ReportScope) => disclosed(n, scope.suppress);

async function episodesInScope(db: Kysely<Schema>, scope: ReportScope) {
  return db
    .selectFrom('episode as e')
    .innerJoin('referral as r', 'r.id', 'e.referral_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.status'])
    .where('e.service_id', 'in', scope.serviceIds)
    .where(sql<boolean>`r.received_at::date between ${scope.from}::date and ${scope.to}::date`)
    .$if(Boolean(scope.practiceId), (q) => q.where('p.registered_practice_id', '=', scope.practiceId!))
    .$if(Boolean(scope.linkWorkerUserId), (q) => q.where('e.link_worker_user_id', '=', scope.linkWorkerUserId!))
    .execute();
}

export async function outcomesReport(db: Kysely<Schema>, scope: ReportScope) {
  if (!scope.serviceIds.length) return null;
  const referred = await db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.service_id', 'in', scope.serviceIds)
    .where(sql<boolean>`r.received_at::date between ${scope.from}::date and ${scope.to}::date`)
    .$if(Boolean(scope.practiceId), (q) => q.where('p.registered_practice_id', '=', scope.practiceId!))
    .executeTakeFirstOrThrow();
  const episodes = await episodesInScope(db, scope);
  const ids = episodes.map((e) => e.id);
  const responses = ids.length
    ? await db
        .selectFrom('measure_response')
        .select(['episode_id', 'instrument_code', 'timepoint', 'completed_on', 'status', 'score', 'item_results'])
        .where('service_id', 'in', scope.serviceIds)
        .where('episode_id', 'in', ids)
        .orderBy('completed_on')
        .orderBy('created_at')
        .execute()
    : [];
  const benefits = ids.length
    ? await db.selectFrom('benefit_response').select(['episode_id', 'benefits', 'own_words']).where('service_id', 'in', scope.serviceIds).where('episode_id', 'in', ids).execute()
    : [];
  const gp = ids.length
    ? await db.selectFrom('gp_appointments').select(['episode_id', 'period', 'appointments']).where('service_id', 'in', scope.serviceIds).where('episode_id', 'in', ids).execute()
    : [];

  // The funnel: referred → baseline → follow-up (discharge or later), on any instrument.
  const withBaseline = new Set(responses.filter((r) => r.timepoint === 'baseline').map((r) => r.episode_id));
  const withAfter = new Set(responses.filter((r) => r.timepoint === 'discharge' || r.timepoint === 'follow_up').map((r) => r.episode_id));
  const completers = [...withBaseline].filter((id) => withAfter.has(id));

  const byEpisode = new Map<string, typeof responses>();
  for (const r of responses) byEpisode.set(r.episode_id, [...(byEpisode.get(r.episode_id) ?? []), r]);
  const of = (episodeId: string) => byEpisode.get(episodeId) ?? [];
  const scored = (code: string, episodeId: string, timepoints: string[]) =>
    of(episodeId).filter((r) => r.instrument_code === code && timepoints.includes(r.timepoint) && r.score !== null).map((r) => Number(r.score));

  const instruments = Object.values(INSTRUMENTS)
    .filter((i) => i.scoring.kind !== 'items' && i.scoring.kind !== 'category')
    .map((instrument) => {
      const pairs: { before: number; after: number }[] = [];
      const nonCompleterBaselines: number[] = [];
      for (const id of ids) {
        const before = scored(instrument.code, id, ['baseline'])[0];
        // The latest measure after: follow-up if there is one, else discharge.
        const after = scored(instrument.code, id, ['follow_up']).at(-1) ?? scored(instrument.code, id, ['discharge']).at(-1);
        if (before !== undefined && after !== undefined) pairs.push({ before, after });
        else if (before !== undefined) nonCompleterBaselines.push(before);
      }
      if (!pairs.length && !nonCompleterBaselines.length) return null;
      const summary = pairs.length >= (scope.suppress ? SUPPRESS_BELOW : 0) ? pairedSummary(pairs) : { n: pairs.length, notEnough: `Fewer than ${SUPPRESS_BELOW} people measured before and after: not shown.` };
      const kinds = instrument.change ? pairs.map((p) => classifyChange(instrument, p.before, p.after)) : [];
      const improved = kinds.filter((k) => k === 'reliable_improvement').length;
      const deteriorated = kinds.filter((k) => k === 'reliable_deterioration').length;
      const avg = (values: number[]) => (values.length ? Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100 : null);
      return {
        instrument,
        summary,
        reliable: instrument.change && pairs.length && !('notEnough' in summary)
          ? {
              improved: Math.round((improved / pairs.length) * 100),
              unchanged: Math.round(((pairs.length - improved - deteriorated) / pairs.length) * 100),
              deteriorated: Math.round((deteriorated / pairs.length) * 100),
            }
          : null,
        completerBaseline: { n: count(pairs.length, scope), mean: enoughToShow(pairs.length, scope.suppress) ? avg(pairs.map((p) => p.before)) : null },
        nonCompleterBaseline: { n: count(nonCompleterBaselines.length, scope), mean: enoughToShow(nonCompleterBaselines.length, scope.suppress) ? avg(nonCompleterBaselines) : null },
      };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null);

  // ONS4, item by item: movement between ONS bands, and the signed-rank test.
  const ons4 = INSTRUMENTS.ons4!;
  const ons = ons4.items.map((item) => {
    const pairs: { before: number; after: number; from: string; to: string }[] = [];
    for (const id of ids) {
      const values = (timepoints: string[]) =>
        of(id)
          .filter((r) => r.instrument_code === 'ons4' && timepoints.includes(r.timepoint))
          .map((r) => (r.item_results as Record<string, { value: number; band: string | null }>)[item.id])
          .filter((v): v is { value: number; band: string | null } => Boolean(v));
      const before = values(['baseline'])[0];
      const after = values(['follow_up']).at(-1) ?? values(['discharge']).at(-1);
      if (before && after) pairs.push({ before: before.value, after: after.value, from: before.band ?? '', to: after.band ?? '' });
    }
    const order = (item.bands ?? []).map((b) => b.label);
    const better = (from: string, to: string) => (item.higherIsBetter === false ? order.indexOf(to) < order.indexOf(from) : order.indexOf(to) > order.indexOf(from));
    const worse = (from: string, to: string) => from !== to && !better(from, to);
    const enough = enoughToShow(pairs.length, scope.suppress);
    return {
      item,
      n: count(pairs.length, scope),
      summary: enough ? pairedSummary(pairs) : null,
      bands: enough
        ? { better: count(pairs.filter((p) => better(p.from, p.to)).length, scope), same: count(pairs.filter((p) => p.from === p.to).length, scope), worse: count(pairs.filter((p) => worse(p.from, p.to)).length, scope) }
        : null,
    };
  });

  const benefitCounts = Object.entries(DESCRIBED_BENEFITS).map(([code, label]) => ({ label, n: count(new Set(benefits.filter((b) => b.benefits.includes(code)).map((b) => b.episode_id)).size, scope) }));
  const words = scope.suppress ? [] : benefits.map((b) => b.own_words).filter((w): w is string => Boolean(w));

  const gpPairs = ids
    .map((id) => ({ before: gp.find((g) => g.episode_id === id && g.period === 'before')?.appointments, after: gp.find((g) => g.episode_id === id && g.period === 'after')?.appointments }))
    .filter((p): p is { before: number; after: number } => p.before !== undefined && p.after !== undefined);

  return {
    scope,
    funnel: { referred: count(Number(referred.n), scope), episodes: count(episodes.length, scope), baseline: count(withBaseline.size, scope), followUp: count(completers.length, scope) },
    instruments,
    ons,
    benefits: { counts: benefitCounts, words, people: count(new Set(benefits.map((b) => b.episode_id)).size, scope) },
    gp: enoughToShow(gpPairs.length, scope.suppress) ? { n: gpPairs.length, summary: pairedSummary(gpPairs) } : { n: count(gpPairs.length, scope), summary: null },
    caveats: CAVEATS,
  };
}

export type OutcomesReport = NonNullable<Awaited<ReturnType<typeof outcomesReport>>>;
