import { describe, expect, it } from 'vitest';
import { formatP, pairedSummary } from './statistics.js';

/**
 * Expected values computed independently with SciPy 1.17.1 (scipy.stats.ttest_rel with
 * confidence_interval(), scipy.stats.wilcoxon) and NumPy for d_z, on the same pairs.
 */
const before = [17.43, 19.25, 15.84, 21.54, 18.59, 16.88, 20.73, 19.98];
const after = [21.54, 20.73, 17.98, 23.21, 19.25, 19.98, 22.35, 19.25];
const pairs = before.map((b, i) => ({ before: b, after: after[i]! }));

describe('paired before/after statistics', () => {
  it('match SciPy for the t-test, its 95% CI, the signed-rank test and d_z', () => {
    const result = pairedSummary(pairs);
    if ('notEnough' in result) throw new Error('expected a summary');
    expect(result.n).toBe(8);
    expect(result.tTest!.t).toBeCloseTo(3.3958220216340944, 3);
    expect(result.tTest!.df).toBe(7);
    expect(result.tTest!.p).toBeCloseTo(0.011507777914022195, 6);
    expect(result.change.ci95![0]).toBeCloseTo(0.5333144882438703, 2);
    expect(result.change.ci95![1]).toBeCloseTo(2.979185511756131, 2);
    // SciPy reports min(W+, W-) = 2; stdlib reports W+ = 34 of the 36 rank total. Same test, same p.
    expect(result.wilcoxon!.w).toBe(34);
    expect(result.wilcoxon!.p).toBeCloseTo(0.0234375, 6);
    expect(result.dz).toBeCloseTo(1.2006043896000396, 2);
    expect(result.change.mean).toBeCloseTo(1.76, 2);
    expect(result.change.median).toBeCloseTo(1.645, 1); // NumPy: 1.645
    expect(result.notes).toContain('Fewer than 30 pairs (8): read the signed-rank test and the median change alongside the t-test.');
  });

  it('says "not enough" instead of NaN for zero or one pair, and handles no change at all', () => {
    expect(pairedSummary([])).toEqual({ n: 0, notEnough: 'No one has been measured both before and after.' });
    expect(pairedSummary([{ before: 20, after: 22 }])).toMatchObject({ n: 1, notEnough: expect.stringContaining('not enough') });
    const flat = pairedSummary([{ before: 20, after: 20 }, { before: 25, after: 25 }, { before: 18, after: 18 }]);
    if ('notEnough' in flat) throw new Error('expected a summary');
    expect(flat).toMatchObject({ tTest: null, wilcoxon: null, dz: null, change: { mean: 0, ci95: null } });
    expect(JSON.stringify(flat)).not.toContain('NaN');
  });

  it('writes p-values as people read them', () => {
    expect(formatP(0.0234375)).toBe('p = 0.023');
    expect(formatP(0.0004)).toBe('p < 0.001');
  });
});
