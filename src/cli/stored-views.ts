import type Database from 'better-sqlite3';
import { tables } from '../index.js';
import { sqlTokens, unquote } from './sql-tokens.js';

const GHSQL_TABLES = new Set(tables.map((table) => table.name.toLowerCase()));

/**
 * A view or trigger stored in the user's file (--db) that reads one of ghsql's tables works only
 * while ghsql runs: in the file, the name is main's virtual table, which only a registered ghsql
 * provides. sqlite3, pandas or Datasette opening the file then fail on it with "no such table:
 * main.auth_user_packages". SQLite accepts it without a word, so the CLI says so when one is made.
 */
export class StoredViewWatch {
  /** Objects already there when the file was opened, or already warned about. */
  private readonly known = new Set<string>();

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    for (const { name } of this.readers()) this.known.add(name);
  }

  /** Warnings for the objects `sql` (a statement just run) stored that read ghsql's tables. */
  check(sql: string): string[] {
    if (!createsStoredObject(sql)) return [];
    const warnings: string[] = [];
    for (const { type, name, table } of this.readers()) {
      if (this.known.has(name)) continue;
      this.known.add(name);
      warnings.push(
        `${type} ${name} is stored in ${this.file} and reads ${table}, which exists only while ghsql runs: sqlite3, pandas or Datasette ` +
          `reading it from the file fail with "no such table: main.${table}". Make it a CREATE TEMP ${type.toUpperCase()} (this session only), ` +
          `or keep the rows with .snapshot TABLE AS SELECT ….`,
      );
    }
    return warnings;
  }

  /** The file's views and triggers that name a ghsql table, with the first one named. */
  private readers(): Array<{ type: string; name: string; table: string }> {
    const objects = this.db.prepare("SELECT type, name, sql FROM main.sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL").all() as Array<{
      type: string;
      name: string;
      sql: string;
    }>;
    return objects.flatMap(({ type, name, sql }) => {
      const table = ghsqlTableIn(sql);
      return table ? [{ type, name, table }] : [];
    });
  }
}

/** CREATE VIEW / CREATE TRIGGER, not TEMP: the statements that store SQL in the file. */
function createsStoredObject(sql: string): boolean {
  const words: string[] = [];
  for (const token of sqlTokens(sql)) {
    if (token.kind === 'comment') continue;
    if (token.kind !== 'word') break;
    words.push(sql.slice(token.start, token.end).toUpperCase());
    if (words.length === 2) break;
  }
  return words[0] === 'CREATE' && (words[1] === 'VIEW' || words[1] === 'TRIGGER');
}

function ghsqlTableIn(sql: string): string | undefined {
  for (const token of sqlTokens(sql)) {
    const name = token.kind === 'word' ? sql.slice(token.start, token.end) : token.kind === 'quoted' ? unquote(sql, token) : undefined;
    if (name !== undefined && GHSQL_TABLES.has(name.toLowerCase())) return name.toLowerCase();
  }
  return undefined;
}
