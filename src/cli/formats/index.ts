import { formatBars } from './bar.js';
import { formatCsv } from './csv.js';
import { formatHtml } from './html.js';
import { formatJson, formatNdjson } from './json.js';
import { formatLines } from './line.js';
import { formatMarkdown } from './markdown.js';
import type { ResultSet } from './result.js';
import { formatTable, type TextFormatOptions } from './table.js';

export type { ResultColumn, ResultSet } from './result.js';
export type { TextFormatOptions } from './table.js';

export const FORMAT_NAMES = ['table', 'json', 'ndjson', 'csv', 'markdown', 'line', 'bar', 'html'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

const formatters: Record<FormatName, (result: ResultSet, options: TextFormatOptions) => string> = {
  table: formatTable,
  json: formatJson,
  ndjson: formatNdjson,
  csv: (result, options) => formatCsv(result, options.headers),
  markdown: formatMarkdown,
  line: formatLines,
  bar: formatBars,
  html: formatHtml,
};

export function formatResult(format: FormatName, result: ResultSet, options: TextFormatOptions): string {
  return formatters[format](result, options);
}

export function isFormatName(text: string): text is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(text);
}
