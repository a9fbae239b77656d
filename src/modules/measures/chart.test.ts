import { describe, expect, it } from 'vitest';
import { lineChart } from './chart.js';

describe('the measure chart', () => {
  it('draws a line through each point, with a title and a description that carry the numbers', () => {
    const svg = lineChart('swemwbs', 'SWEMWBS over time', [{ label: 'Baseline', value: 17.43 }, { label: 'Discharge', value: 21.54 }], { min: 7, max: 35 });
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="swemwbs-title swemwbs-desc"/);
    expect(svg).toContain('<title id="swemwbs-title">SWEMWBS over time</title>');
    expect(svg).toContain('<desc id="swemwbs-desc">Baseline: 17.43; Discharge: 21.54</desc>');
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('<path d="M');
    expect(svg).not.toContain('style=');
  });

  it('escapes labels and draws a single point without a line', () => {
    const svg = lineChart('x', '<b>', [{ label: 'A & B', value: 3 }], { min: 3, max: 9 });
    expect(svg).toContain('A &amp; B');
    expect(svg).toContain('&lt;b&gt;');
    expect(svg).not.toContain('<path');
  });
});
