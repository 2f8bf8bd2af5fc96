import type { ResultSet } from './result.js';
import { plainValue } from './values.js';

/** RFC 4180 CSV: CRLF line ends, fields quoted when needed, NULL as an empty field. */
export function formatCsv(result: ResultSet, headers: boolean): string {
  const lines = result.rows.map((row) => row.map((value) => field(plainValue(value))).join(','));
  if (headers) lines.unshift(result.columns.map((column) => field(column.name)).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
