import { charts } from './page/charts.js';
import { escapeHtml, htmlDocument } from './page/document.js';
import { asTable, isNumber, numericColumn, type ResultTable } from './page/values.js';

export type { ResultTable } from './page/values.js';

export interface HtmlOptions {
  /** Rows shown at most; the rest are counted below the table (default 1,000: a notebook stays quick). */
  limit?: number;
  /** A bar beside each value of the last column when it holds numbers (default true). */
  bars?: boolean;
}

export interface HtmlPageOptions extends HtmlOptions {
  /** The page's title and heading (default "ghsql results"). */
  title?: string;
  /** Charts above the table when the result has a label and numeric columns (default true). */
  charts?: boolean;
}

const DEFAULT_LIMIT = 1000;

/**
 * Rows as better-sqlite3's all() returns them (objects; its type says unknown[], which is taken as
 * it is), as an HTML table for a notebook to display
 * (tslab.display.html, ijavascript's $$.html, or a file): every value escaped, NULL shown as such,
 * numbers right-aligned, and, when the last column holds numbers, a bar beside each scaled to the
 * largest, the notebook's counterpart of the CLI's bar mode. Plain HTML with inline styles, so it
 * looks the same in Jupyter, VS Code and a browser.
 */
export function html(rows: readonly unknown[], options: HtmlOptions = {}): string {
  return htmlTable(asTable(rows, 'html()'), options);
}

/**
 * A whole HTML file of results, for a browser with no network: the table of html(), and above it,
 * when the first column labels rows and others hold numbers, a chart of them as inline SVG (bars, or
 * lines when the first column is a time). Takes objects as html() does, or columns and rows.
 */
export function htmlPage(rows: readonly unknown[] | ResultTable, options: HtmlPageOptions = {}): string {
  const table = Array.isArray(rows) ? asTable(rows, 'htmlPage()') : (rows as ResultTable);
  const drawn = (options.charts ?? true) ? charts(table.columns, table.rows) : '';
  const title = options.title ?? 'ghsql results';
  return htmlDocument(title, `<h1>${escapeHtml(title)}</h1>\n${drawn}${htmlTable(table, options)}`);
}

/** The table itself: what html() and htmlPage() share. */
function htmlTable({ columns, rows }: ResultTable, options: HtmlOptions): string {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (rows.length === 0) return '<p><em>(0 rows)</em></p>';
  const shown = rows.slice(0, limit);
  const lastIndex = columns.length - 1;
  const numeric = columns.map((_, i) => numericColumn(shown, i));
  const bars = (options.bars ?? true) && numeric[lastIndex]!;
  const largest = bars ? shown.reduce((max, row) => Math.max(max, Number(row[lastIndex] ?? 0)), 0) : 0;

  const head = columns.map((column, i) => `<th style="text-align:${numeric[i] ? 'right' : 'left'}">${escapeHtml(column)}</th>`).join('');
  const body = shown
    .map((row) => {
      const cells = columns.map((_, i) => `<td style="text-align:${numeric[i] ? 'right' : 'left'}">${cell(row[i])}</td>`);
      if (bars) cells.push(`<td style="width:12em">${bar(row[lastIndex], largest)}</td>`);
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const more = rows.length > shown.length ? `\n<p><em>… ${(rows.length - shown.length).toLocaleString('en-US')} more rows (${rows.length.toLocaleString('en-US')} in all)</em></p>` : '';
  return `<table>\n<thead><tr>${head}${bars ? '<th></th>' : ''}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '<span style="opacity:.5">NULL</span>';
  if (value instanceof Uint8Array) return `<em>&lt;${value.length} bytes&gt;</em>`;
  return escapeHtml(String(value));
}

function bar(value: unknown, largest: number): string {
  if (!isNumber(value) || largest <= 0 || Number(value) <= 0) return '';
  const percent = Math.round((Number(value) / largest) * 1000) / 10;
  return `<div style="width:${percent}%;height:.9em;background:#4c78a8"></div>`;
}
