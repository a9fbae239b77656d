import ttest from '@stdlib/stats-ttest';
import wilcoxon from '@stdlib/stats-wilcoxon';
import { mean, median, sampleStandardDeviation } from 'simple-statistics';

/**
 * Before/after statistics for paired scores, from well-kept libraries (stdlib for the tests,
 * simple-statistics for the summaries). Anything that cannot be computed honestly (too few pairs,
 * no variation) comes back as null with the reason, never NaN.
 */

export const MIN_PAIRS = 2;

export interface PairedSummary {
  n: number;
  before: { mean: number; sd: number | null };
  after: { mean: number; sd: number | null };
  change: { mean: number; sd: number | null; ci95: [number, number] | null; median: number };
  tTest: { t: number; df: number; p: number } | null;
  wilcoxon: { w: number; p: number } | null;
  /** Cohen's d_z: mean change ÷ SD of the changes. */
  dz: number | null;
  notes: string[];
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const sdOrNull = (values: number[]) => (values.length >= 2 ? sampleStandardDeviation(values) : null);

export function pairedSummary(pairs: { before: number; after: number }[]): PairedSummary | { n: number; notEnough: string } {
  const n = pairs.length;
  if (n < MIN_PAIRS) return { n, notEnough: n === 0 ? 'No one has been measured both before and after.' : 'Only one person has been measured both before and after: not enough to summarise.' };
  const before = pairs.map((p) => p.before);
  const after = pairs.map((p) => p.after);
  const changes = pairs.map((p) => p.after - p.before);
  const sdChange = sdOrNull(changes);
  const notes: string[] = [];
  let tTest: PairedSummary['tTest'] = null;
  let ci: [number, number] | null = null;
  if (sdChange && sdChange > 0) {
    const result = ttest(after, before);
    tTest = { t: round(result.statistic, 3), df: n - 1, p: result.pValue };
    ci = [round(result.ci[0]!), round(result.ci[1]!)];
  } else notes.push('Every change is the same, so there is no spread to test.');
  let wilcoxonResult: PairedSummary['wilcoxon'] = null;
  if (changes.some((c) => c !== 0)) {
    const result = wilcoxon(after, before);
    wilcoxonResult = { w: result.statistic, p: result.pValue };
  } else notes.push('No one changed, so the signed-rank test does not apply.');
  if (n < 30) notes.push(`Fewer than 30 pairs (${n}): read the signed-rank test and the median change alongside the t-test.`);
  return {
    n,
    before: { mean: round(mean(before)), sd: sdOrNull(before) === null ? null : round(sdOrNull(before)!) },
    after: { mean: round(mean(after)), sd: sdOrNull(after) === null ? null : round(sdOrNull(after)!) },
    change: { mean: round(mean(changes)), sd: sdChange === null ? null : round(sdChange), ci95: ci, median: round(median(changes)) },
    tTest,
    wilcoxon: wilcoxonResult,
    dz: sdChange ? round(mean(changes) / sdChange) : null,
    notes,
  };
}

/** p-values as people read them. */
export const formatP = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
