import type { Band, Instrument, Item } from './instruments.js';

/**
 * Scoring exactly as published. Answers are always kept as given; anything out of range or missing
 * beyond the instrument's rule is flagged and left unscored, never scored wrongly.
 */

export type Answers = Record<string, number | null | undefined>;

export interface ItemResult {
  value: number;
  band: string | null;
}

export type ScoreResult =
  | { status: 'scored'; score: number; raw: number | null; band: string | null; items: Record<string, ItemResult>; flags: string[] }
  | { status: 'items'; items: Record<string, ItemResult>; flags: string[] }
  | { status: 'category'; value: number; label: string; flags: string[] }
  | { status: 'incomplete' | 'invalid' | 'unavailable'; flags: string[] };

const optionsFor = (instrument: Instrument, item: Item) => item.responses ?? instrument.responses;
const bandOf = (bands: Band[] | undefined, value: number) => bands?.find((b) => value >= b.min && value <= b.max)?.label ?? null;

export function score(instrument: Instrument, answers: Answers): ScoreResult {
  if (!instrument.available || !instrument.items.length) return { status: 'unavailable', flags: [instrument.unavailableReason ?? `${instrument.shortName} is not available`] };
  const flags: string[] = [];
  const given: Record<string, number> = {};
  for (const item of instrument.items) {
    const value = answers[item.id];
    if (value === null || value === undefined) continue;
    if (!Number.isInteger(value) || !optionsFor(instrument, item).some((o) => o.value === value)) {
      flags.push(`${item.id}: ${String(value)} is not one of the answers`);
      continue;
    }
    given[item.id] = value;
  }
  const unknown = Object.keys(answers).filter((id) => !instrument.items.some((item) => item.id === id));
  for (const id of unknown) flags.push(`${id}: not a question of ${instrument.shortName}`);
  if (flags.length) return { status: 'invalid', flags };

  const missing = instrument.items.filter((item) => given[item.id] === undefined);
  const items = Object.fromEntries(instrument.items.filter((i) => given[i.id] !== undefined).map((i) => [i.id, { value: given[i.id]!, band: bandOf(i.bands, given[i.id]!) }]));
  const rule = instrument.scoring;
  if (rule.kind === 'items') {
    if (missing.length) flags.push(`${missing.length} of ${instrument.items.length} questions unanswered: those items are not reported`);
    return Object.keys(items).length ? { status: 'items', items, flags } : { status: 'incomplete', flags: ['No questions answered'] };
  }
  if (rule.kind === 'category') {
    const item = instrument.items[0]!;
    const value = given[item.id];
    if (value === undefined) return { status: 'incomplete', flags: ['Not answered'] };
    return { status: 'category', value, label: optionsFor(instrument, item).find((o) => o.value === value)!.label, flags };
  }
  const values = Object.values(given);
  const sum = values.reduce((a, b) => a + b, 0);
  if (rule.kind === 'sum_prorated') {
    if (missing.length > rule.maxMissing) return { status: 'incomplete', flags: [`${missing.length} questions unanswered: at most ${rule.maxMissing} may be missing`] };
    const total = missing.length ? (sum / values.length) * instrument.items.length : sum;
    if (missing.length) flags.push(`${missing.length} unanswered; the total is the mean of the answered items × ${instrument.items.length}`);
    const rounded = Math.round(total * 100) / 100;
    return { status: 'scored', score: rounded, raw: missing.length ? null : sum, band: bandOf(instrument.bands, rounded), items, flags };
  }
  if (missing.length) return { status: 'incomplete', flags: [`${missing.length} of ${instrument.items.length} questions unanswered: every one is needed to score ${instrument.shortName}`] };
  if (rule.kind === 'sum_converted') {
    const converted = rule.table[sum];
    if (converted === undefined) return { status: 'invalid', flags: [`A total of ${sum} is outside the conversion table`] };
    return { status: 'scored', score: converted, raw: sum, band: bandOf(instrument.bands, converted), items, flags };
  }
  return { status: 'scored', score: sum, raw: sum, band: bandOf(instrument.bands, sum), items, flags };
}

export type ChangeKind = 'reliable_improvement' | 'beyond_error_improvement' | 'no_change' | 'beyond_error_deterioration' | 'reliable_deterioration';

/** How a change between two scores reads against the instrument's thresholds, in the better direction. */
export function classifyChange(instrument: Instrument, before: number, after: number): ChangeKind | null {
  if (!instrument.change) return null;
  const delta = Math.round((instrument.higherIsBetter ? after - before : before - after) * 100) / 100;
  const { reliable, measurementError } = instrument.change;
  if (delta >= reliable) return 'reliable_improvement';
  if (delta <= -reliable) return 'reliable_deterioration';
  if (delta >= measurementError) return 'beyond_error_improvement';
  if (delta <= -measurementError) return 'beyond_error_deterioration';
  return 'no_change';
}
