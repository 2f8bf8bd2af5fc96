import { escapeHtml } from './document.js';
import { isNumber, numericColumn } from './values.js';

// Charts of a result as inline SVG, drawn only when they say something: the first column labels
// the rows and at least one other column holds numbers. A time first column draws lines (a trend),
// anything else bars (a comparison). Bars stop at MAX_BARS, for a chart is read at a glance; the
// table below holds every row.

const MAX_BARS = 60;
const MAX_BAR_CHARTS = 4;
const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2'];
const TIME = /^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?$/;

/** The charts of a result, as <figure> elements; '' when it has no label and numbers. */
export function charts(columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  if (columns.length < 2 || rows.length === 0 || numericColumn(rows, 0)) return '';
  const series = columns.map((_, i) => i).filter((i) => i > 0 && numericColumn(rows, i));
  if (series.length === 0) return '';
  const times = rows.map((row) => (typeof row[0] === 'string' && TIME.test(row[0]) ? Date.parse(row[0]) : Number.NaN));
  if (rows.length > 1 && times.every((time) => Number.isFinite(time))) return lineChart(columns, rows, series, times);
  return series
    .slice(0, MAX_BAR_CHARTS)
    .map((i) => barChart(columns[0]!, columns[i]!, rows.map((row) => [label(row[0]), row[i]])))
    .join('\n');
}

function label(value: unknown): string {
  return value === null || value === undefined ? 'NULL' : String(value);
}

const number = (value: unknown) => (isNumber(value) ? Number(value) : 0);

function barChart(labelName: string, valueName: string, pairs: Array<[string, unknown]>): string {
  const shown = pairs.slice(0, MAX_BARS);
  const labelWidth = Math.min(240, 12 + 7 * Math.max(...shown.map(([text]) => Math.min(text.length, 32))));
  const barSpace = 420;
  const rowHeight = 20;
  const largest = Math.max(0, ...shown.map(([, value]) => number(value)));
  const bars = shown.map(([text, value], i) => {
    const y = i * rowHeight;
    const width = largest > 0 ? Math.max(0, (number(value) / largest) * barSpace) : 0;
    const shownText = text.length > 32 ? `${text.slice(0, 31)}…` : text;
    return (
      `<g class="bar"><title>${escapeHtml(`${text}: ${label(value)}`)}</title>` +
      `<text x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(shownText)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 6}" fill="${COLORS[0]}"/>` +
      `<text x="${(labelWidth + width + 4).toFixed(1)}" y="${y + 14}">${escapeHtml(label(value))}</text></g>`
    );
  });
  const height = shown.length * rowHeight + 4;
  const more = pairs.length > shown.length ? `; the first ${shown.length} of ${pairs.length} rows` : '';
  return `<figure class="chart bars"><svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + barSpace + 90}" height="${height}" role="img" aria-label="${escapeHtml(`${valueName} by ${labelName}`)}">${bars.join('')}</svg><figcaption>${escapeHtml(valueName)} by ${escapeHtml(labelName)}${more}</figcaption></figure>`;
}

function lineChart(columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>, series: number[], times: number[]): string {
  const [width, height, left, bottom, top, right] = [720, 260, 60, 28, 10, 20];
  const first = Math.min(...times);
  const last = Math.max(...times);
  const largest = Math.max(0, ...rows.flatMap((row) => series.map((i) => number(row[i]))));
  const x = (time: number) => left + (last > first ? ((time - first) / (last - first)) * (width - left - right) : (width - left - right) / 2);
  const y = (value: number) => height - bottom - (largest > 0 ? (value / largest) * (height - bottom - top) : 0);
  const order = times.map((time, i) => ({ time, i })).sort((a, b) => a.time - b.time);
  const lines = series.map((column, s) => {
    const points = order.filter(({ i }) => isNumber(rows[i]![column])).map(({ time, i }) => `${x(time).toFixed(1)},${y(number(rows[i]![column])).toFixed(1)}`);
    return `<polyline class="line" fill="none" stroke="${COLORS[s % COLORS.length]}" stroke-width="2" points="${points.join(' ')}"><title>${escapeHtml(columns[column]!)}</title></polyline>`;
  });
  const axes =
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#999"/>` +
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#999"/>` +
    `<text x="${left - 6}" y="${top + 10}" text-anchor="end">${escapeHtml(String(largest))}</text>` +
    `<text x="${left - 6}" y="${height - bottom}" text-anchor="end">0</text>` +
    `<text x="${left}" y="${height - 8}">${escapeHtml(label(rows[order[0]!.i]![0]))}</text>` +
    `<text x="${width - right}" y="${height - 8}" text-anchor="end">${escapeHtml(label(rows[order[order.length - 1]!.i]![0]))}</text>`;
  const legend = series.map((column, s) => `<span style="color:${COLORS[s % COLORS.length]}">■</span> ${escapeHtml(columns[column]!)}`).join(' &nbsp; ');
  return `<figure class="chart lines"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`over ${columns[0]!}`)}">${axes}${lines.join('')}</svg><figcaption>${legend} over ${escapeHtml(columns[0]!)}</figcaption></figure>`;
}
