import { describe, expect, it } from 'vitest';
import { INSTRUMENTS, SWEMWBS_METRIC } from './instruments.js';
import { classifyChange, score, type Answers } from './scoring.js';

const { swemwbs, gse, ons4, ucla3, ons_loneliness: onsLoneliness, wemwbs } = INSTRUMENTS as Required<typeof INSTRUMENTS>;
const ids = (code: keyof typeof INSTRUMENTS) => INSTRUMENTS[code]!.items.map((i) => i.id);

/** Seven SWEMWBS answers adding up to `raw`. */
function swemwbsAnswers(raw: number): Answers {
  const values = Array(7).fill(1) as number[];
  let left = raw - 7;
  for (let i = 0; i < 7 && left > 0; i++) {
    const add = Math.min(4, left);
    values[i] = values[i]! + add;
    left -= add;
  }
  return Object.fromEntries(ids('swemwbs').map((id, i) => [id, values[i]]));
}

describe('SWEMWBS', () => {
  it.each(Object.entries(SWEMWBS_METRIC).map(([raw, metric]) => [Number(raw), metric]))('raw %i converts to the metric score %f', (raw, metric) => {
    expect(score(swemwbs!, swemwbsAnswers(raw))).toMatchObject({ status: 'scored', raw, score: metric });
  });

  it('has all 29 raw totals, 7 to 35, rising', () => {
    const raws = Object.keys(SWEMWBS_METRIC).map(Number);
    expect(raws).toEqual(Array.from({ length: 29 }, (_, i) => i + 7));
    const metrics = raws.map((r) => SWEMWBS_METRIC[r]!);
    expect(metrics.every((m, i) => i === 0 || m > metrics[i - 1]!)).toBe(true);
  });

  it('needs all seven answers, and refuses answers that are not on the scale', () => {
    const six = swemwbsAnswers(20);
    delete six.mind;
    expect(score(swemwbs!, six)).toMatchObject({ status: 'incomplete' });
    expect(score(swemwbs!, { ...swemwbsAnswers(20), mind: 6 })).toEqual({ status: 'invalid', flags: ['mind: 6 is not one of the answers'] });
    expect(score(swemwbs!, { ...swemwbsAnswers(20), mind: 2.5 })).toMatchObject({ status: 'invalid' });
    expect(score(swemwbs!, { ...swemwbsAnswers(20), colour: 3 })).toEqual({ status: 'invalid', flags: ['colour: not a question of SWEMWBS'] });
  });

  it('reads change against measurement error (1) and reliable change (3)', () => {
    expect(classifyChange(swemwbs!, 20, 23)).toBe('reliable_improvement');
    expect(classifyChange(swemwbs!, 20, 22.99)).toBe('beyond_error_improvement');
    expect(classifyChange(swemwbs!, 20, 21)).toBe('beyond_error_improvement');
    expect(classifyChange(swemwbs!, 20, 20.99)).toBe('no_change');
    expect(classifyChange(swemwbs!, 23, 20)).toBe('reliable_deterioration');
    expect(classifyChange(swemwbs!, 21, 20)).toBe('beyond_error_deterioration');
  });
});

describe('General Self-Efficacy', () => {
  const all = (value: number) => Object.fromEntries(ids('gse').map((id) => [id, value]));
  it('sums 10 to 40', () => {
    expect(score(gse!, all(1))).toMatchObject({ status: 'scored', score: 10, raw: 10 });
    expect(score(gse!, all(4))).toMatchObject({ status: 'scored', score: 40, raw: 40 });
  });
  it('pro-rates up to three missing items as the mean of the answered × 10', () => {
    const answers = { ...all(3), gse1: 4, gse2: null, gse3: undefined, gse4: null };
    // Answered: 4 + 3×6 = 22 over 7 items, mean 3.142857…, × 10 = 31.43.
    expect(score(gse!, answers)).toMatchObject({ status: 'scored', score: 31.43, raw: null });
    expect(score(gse!, { ...answers, gse5: null })).toMatchObject({ status: 'incomplete' });
  });
});

describe('ONS4', () => {
  it('reports each item with its ONS band, never a total', () => {
    const result = score(ons4!, { satisfied: 4, worthwhile: 5, happy: 9, anxious: 6 });
    expect(result).toEqual({
      status: 'items',
      flags: [],
      items: { satisfied: { value: 4, band: 'Low' }, worthwhile: { value: 5, band: 'Medium' }, happy: { value: 9, band: 'Very high' }, anxious: { value: 6, band: 'High' } },
    });
  });
  it.each([
    [0, 'Low', 'Very low'], [4, 'Low', 'Medium'], [5, 'Medium', 'Medium'], [6, 'Medium', 'High'], [7, 'High', 'High'], [8, 'High', 'High'], [9, 'Very high', 'High'], [10, 'Very high', 'High'], [1, 'Low', 'Very low'], [2, 'Low', 'Low'], [3, 'Low', 'Low'],
  ])('%i is %s for the positive items and %s for anxiety', (value, positive, anxiety) => {
    const result = score(ons4!, { satisfied: value, anxious: value });
    expect(result).toMatchObject({ status: 'items', items: { satisfied: { band: positive }, anxious: { band: anxiety } } });
  });
  it('refuses 11 and keeps what was answered when some are blank', () => {
    expect(score(ons4!, { satisfied: 11 })).toMatchObject({ status: 'invalid' });
    expect(score(ons4!, { satisfied: 7 })).toMatchObject({ status: 'items', flags: ['3 of 4 questions unanswered: those items are not reported'] });
    expect(score(ons4!, {})).toMatchObject({ status: 'incomplete' });
  });
});

describe('loneliness', () => {
  it('sums the UCLA 3 items, 3 to 9, higher lonelier, all needed', () => {
    expect(score(ucla3!, { companionship: 1, left_out: 1, isolated: 1 })).toMatchObject({ status: 'scored', score: 3 });
    expect(score(ucla3!, { companionship: 3, left_out: 3, isolated: 3 })).toMatchObject({ status: 'scored', score: 9 });
    expect(score(ucla3!, { companionship: 3, left_out: 3 })).toMatchObject({ status: 'incomplete' });
    expect(score(ucla3!, { companionship: 4, left_out: 3, isolated: 3 })).toMatchObject({ status: 'invalid' });
    expect(ucla3!.higherIsBetter).toBe(false);
    expect(ucla3!.threshold?.value).toBe(6);
  });
  it('counts the ONS direct question as a category', () => {
    expect(score(onsLoneliness!, { lonely: 1 })).toEqual({ status: 'category', value: 1, label: 'Often/always', flags: [] });
    expect(score(onsLoneliness!, {})).toMatchObject({ status: 'incomplete' });
  });
});

describe('WEMWBS', () => {
  it('stays off until its official wording is entered', () => {
    expect(wemwbs!.available).toBe(false);
    expect(score(wemwbs!, {})).toMatchObject({ status: 'unavailable' });
  });
});
