/**
 * A measure over time as a small server-rendered SVG line chart: no script, no styles, presentation
 * attributes only (so the CSP allows it), and a title and description for screen readers. The
 * numbers are always in a table beside it; the chart only shows the shape.
 */

export interface ChartPoint {
  label: string;
  value: number;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function lineChart(id: string, title: string, points: ChartPoint[], range: { min: number; max: number }): string {
  const width = 480;
  const height = 200;
  const pad = { left: 40, right: 16, top: 16, bottom: 36 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (points.length === 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => pad.top + innerH - ((v - range.min) / (range.max - range.min || 1)) * innerH;
  const ticks = [range.min, Math.round((range.min + range.max) / 2), range.max];
  const description = points.map((p) => `${p.label}: ${p.value}`).join('; ');
  const grid = ticks
    .map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}" stroke="#d8dde0"/><text x="${pad.left - 6}" y="${y(t) + 4}" text-anchor="end" font-size="12" fill="#4c6272">${t}</text>`)
    .join('');
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points
    .map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="4" fill="#005eb8"/><text x="${x(i).toFixed(1)}" y="${height - 12}" text-anchor="middle" font-size="12" fill="#212b32">${escape(p.label)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" class="app-chart"><title id="${id}-title">${escape(title)}</title><desc id="${id}-desc">${escape(description)}</desc>${grid}${points.length > 1 ? `<path d="${path}" fill="none" stroke="#005eb8" stroke-width="3"/>` : ''}${dots}</svg>`;
}
