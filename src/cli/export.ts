import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { formatResult, type FormatName, type ResultSet } from './formats/index.js';
import { isNumber } from './formats/values.js';
import { PLAIN } from './terminal.js';
import { plural, quoteIdentifier } from '../index.js';

const SQLITE_EXTENSIONS = ['.sqlite', '.sqlite3', '.db'];
const TEXT_EXTENSIONS: Record<string, FormatName> = { '.csv': 'csv', '.json': 'json', '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.md': 'markdown', '.txt': 'bar', '.html': 'html', '.htm': 'html' };

/**
 * `.export FILE [TABLE]`: writes the last results for notebooks and other tools. A SQLite file gets
 * (or has replaced) a table, `results` unless named; .csv, .json, .ndjson and .md files get that
 * format; a .txt file gets a bar chart when the last column holds numbers, else a table, as the
 * screen would show them (`width` columns wide, 80 when undefined); an .html file a page with the
 * table and, for a label and numbers, a chart. Returns what was done, for the user.
 */
export function exportResult(result: ResultSet, file: string, table = 'results', width?: number): string {
  const extension = extname(file).toLowerCase();
  const rows = plural(result.rows.length, 'row');
  if (SQLITE_EXTENSIONS.includes(extension)) {
    writeTable(result, file, table);
    return `exported ${rows} to ${file}, table ${table}`;
  }
  let format = TEXT_EXTENSIONS[extension];
  if (!format) {
    throw new Error(`.export writes ${[...SQLITE_EXTENSIONS, ...Object.keys(TEXT_EXTENSIONS)].join(', ')} files; name the file with one of these extensions.`);
  }
  if (format === 'bar' && !drawsAsBars(result)) format = 'table';
  writeFileSync(file, formatResult(format, result, { headers: true, width: format === 'bar' ? width : undefined, style: PLAIN }));
  return `exported ${rows} to ${file} as ${format === 'bar' ? 'a bar chart' : format === 'html' ? 'an HTML page' : format}`;
}

/** The last column holds numbers (NULL aside), at least one. */
function drawsAsBars(result: ResultSet): boolean {
  const last = result.columns.length - 1;
  return result.rows.some((row) => isNumber(row[last])) && result.rows.every((row) => row[last] === null || isNumber(row[last]));
}

/**
 * The declared type a column gets: the one SQLite reports for it, else the one its values share. An
 * expression (count(*), a CASE) has none; values keep their storage class either way (integers are
 * read as BigInt and bound as INTEGER), and the type tells the next reader (pandas) what to expect.
 */
function columnType(result: ResultSet, index: number): string | undefined {
  const declared = result.columns[index]!.declaredType;
  if (declared) return declared;
  const kinds = new Set<string>();
  for (const row of result.rows) {
    const value = row[index];
    if (value === null || value === undefined) continue;
    kinds.add(typeof value === 'bigint' ? 'INTEGER' : typeof value === 'number' ? 'REAL' : Buffer.isBuffer(value) ? 'BLOB' : 'TEXT');
    if (kinds.size > 1) return undefined;
  }
  return [...kinds][0];
}

function writeTable(result: ResultSet, file: string, table: string): void {
  const names = uniqueNames(result.columns.map((column) => column.name));
  const definitions = result.columns.map((_, i) => {
    const type = columnType(result, i);
    return `${quoteIdentifier(names[i]!)}${type ? ` ${type}` : ''}`;
  });
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
