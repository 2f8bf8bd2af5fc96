import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { formatResult, type FormatName, type ResultSet } from './formats/index.js';
import { PLAIN } from './terminal.js';
import { quoteIdentifier } from '../engine/sql-identifier.js';

const SQLITE_EXTENSIONS = ['.sqlite', '.sqlite3', '.db'];
const TEXT_EXTENSIONS: Record<string, FormatName> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.md': 'markdown' };

/**
 * `.export FILE [TABLE]`: writes the last results for notebooks and other tools. A SQLite file gets
 * (or has replaced) a table, `results` unless named; .csv, .json, .ndjson and .md files get that format.
 * Returns what was done, for the user.
 */
export function exportResult(result: ResultSet, file: string, table = 'results'): string {
  const extension = extname(file).toLowerCase();
  const rows = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`;
  if (SQLITE_EXTENSIONS.includes(extension)) {
    writeTable(result, file, table);
    return `exported ${rows} to ${file}, table ${table}`;
  }
  const format = TEXT_EXTENSIONS[extension];
  if (!format) {
    throw new Error(`.export writes ${[...SQLITE_EXTENSIONS, ...Object.keys(TEXT_EXTENSIONS)].join(', ')} files; name the file with one of these extensions.`);
  }
  writeFileSync(file, formatResult(format, result, { headers: true, width: undefined, style: PLAIN }));
  return `exported ${rows} to ${file} as ${format}`;
}

function writeTable(result: ResultSet, file: string, table: string): void {
  const names = uniqueNames(result.columns.map((column) => column.name));
  const definitions = result.columns.map((column, i) => `${quoteIdentifier(names[i]!)}${column.declaredType ? ` ${column.declaredType}` : ''}`);
  const db = new Database(file);
  try {
    db.transaction(() => {
      db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table)}; CREATE TABLE ${quoteIdentifier(table)} (${definitions.join(', ')})`);
      const insert = db.prepare(`INSERT INTO ${quoteIdentifier(table)} VALUES (${names.map(() => '?').join(', ')})`);
      for (const row of result.rows) insert.run(row);
    })();
  } finally {
    db.close();
  }
}

/** A table cannot have two columns of one name (`SELECT a.name, b.name`): later ones get _2, _3…. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), count);
    return count === 1 ? name : `${name}_${count}`;
  });
}
