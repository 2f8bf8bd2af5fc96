import type Database from 'better-sqlite3';
import { nativeTableName } from '../engine/virtual-table.js';
import { resources } from '../resources/index.js';

export type Row = Record<string, unknown>;

/** Result columns that hold JSON text from a ghsql table (owner, repository), found by their origin. */
export function jsonColumnNames(columns: Database.ColumnDefinition[]): Set<string> {
  const json = new Set<string>();
  for (const column of columns) {
    const resource = resources.find((candidate) => nativeTableName(candidate) === column.table);
    if (resource?.columns.some((candidate) => candidate.name === column.column && candidate.type === 'JSON')) json.add(column.name);
  }
  return json;
}

/** A JSON array of row objects; JSON columns are nested objects, not strings. */
export function formatJson(rows: Row[], jsonColumns: Set<string>): string {
  const nested = rows.map((row) => {
    const copy: Row = { ...row };
    for (const name of jsonColumns) {
      const value = copy[name];
      if (typeof value === 'string') copy[name] = JSON.parse(value);
    }
    return copy;
  });
  return `${JSON.stringify(nested, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}

const NULL_TEXT = 'NULL';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return String(value).replace(/\n/g, '\\n');
}

/** An aligned text table with a header row; numbers right-aligned. */
export function formatTable(columns: string[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((name) => cellText(row[name])));
  const widths = columns.map((name, i) => Math.max(name.length, ...cells.map((line) => line[i]!.length)));
  const numeric = columns.map((name) => rows.length > 0 && rows.every((row) => typeof row[name] === 'number' || typeof row[name] === 'bigint' || row[name] === null));
  const line = (values: string[]) =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join(' │ ').trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─');
  const footer = `(${rows.length} row${rows.length === 1 ? '' : 's'})`;
  return [line(columns), rule, ...cells.map(line), footer].join('\n') + '\n';
}
