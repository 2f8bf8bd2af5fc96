export interface HtmlOptions {
  /** Rows shown at most; the rest are counted below the table (default 1,000: a notebook stays quick). */
  limit?: number;
  /** A bar beside each value of the last column when it holds numbers (default true). */
  bars?: boolean;
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
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Array.isArray(rows) || rows.some((row) => typeof row !== 'object' || row === null || Array.isArray(row))) {
    throw new TypeError('html() takes rows as objects, as db.prepare(sql).all() returns them (not .raw() arrays).');
  }
  if (rows.length === 0) return '<p><em>(0 rows)</em></p>';
  const objects = rows as ReadonlyArray<Record<string, unknown>>;
  const columns = Object.keys(objects[0]!);
  const shown = objects.slice(0, limit);
  const last = columns[columns.length - 1]!;
  const numeric = columns.map((column) => shown.some((row) => isNumber(row[column])) && shown.every((row) => row[column] === null || isNumber(row[column])));
  const bars = (options.bars ?? true) && numeric[columns.length - 1]!;
  const largest = bars ? shown.reduce((max, row) => Math.max(max, Number(row[last] ?? 0)), 0) : 0;

  const head = columns.map((column, i) => `<th style="text-align:${numeric[i] ? 'right' : 'left'}">${escape(column)}</th>`).join('');
  const body = shown
    .map((row) => {
      const cells = columns.map((column, i) => `<td style="text-align:${numeric[i] ? 'right' : 'left'}">${cell(row[column])}</td>`);
      if (bars) cells.push(`<td style="width:12em">${bar(row[last], largest)}</td>`);
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  const more = rows.length > shown.length ? `\n<p><em>… ${(rows.length - shown.length).toLocaleString('en-US')} more rows (${rows.length.toLocaleString('en-US')} in all)</em></p>` : '';
  return `<table>\n<thead><tr>${head}${bars ? '<th></th>' : ''}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>${more}`;
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '<span style="opacity:.5">NULL</span>';
  if (value instanceof Uint8Array) return `<em>&lt;${value.length} bytes&gt;</em>`;
  return escape(String(value));
}

function bar(value: unknown, largest: number): string {
  if (!isNumber(value) || largest <= 0 || Number(value) <= 0) return '';
  const percent = Math.round((Number(value) / largest) * 1000) / 10;
  return `<div style="width:${percent}%;height:.9em;background:#4c78a8"></div>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
