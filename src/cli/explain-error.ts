import { resources } from '../resources/index.js';

/**
 * Adds what to do to errors SQLite reports in its own words. better-sqlite3 refuses operators other
 * than `=` on virtual-table parameters while planning, before any request.
 */
export function explainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const operator = /virtual table parameter "([^"]+)" can only be constrained by the '=' operator/.exec(message);
  if (operator) {
    const column = operator[1]!;
    return `${column} is sent to GitHub, so it can only be compared with = or IN, e.g. WHERE ${column} IN ('a', 'b'); other columns take any operator.`;
  }
  const table = ghsqlTableReadFromFile(message);
  if (table) return temporaryTableAdvice(`a view or trigger stored in the database file reads ${table}`);
  const stored = /(view|trigger) (\S+) cannot reference objects in database temp/.exec(message);
  if (stored) return temporaryTableAdvice(`${stored[1]} ${stored[2]} would be stored in the database file`);
  return message;
}

/**
 * The ghsql table an object stored in the database file tried to read. SQLite resolves the names in
 * such an object in that file only, where ghsql's tables never are, and says "no such table: main.X".
 */
export function ghsqlTableReadFromFile(message: string): string | undefined {
  const missing = /no such table: main\.(\S+)/.exec(message)?.[1];
  return resources.some((resource) => resource.table === missing) ? missing : undefined;
}

/** What to do when something stored in the file needs ghsql's tables, which are temporary. */
export function temporaryTableAdvice(problem: string): string {
  return (
    `${problem}, but ghsql's tables are temporary views created anew in each session, which a stored view cannot use. ` +
    'Make it temporary (CREATE TEMP VIEW name AS SELECT …), or save the rows in the file with CREATE TABLE name AS SELECT ….'
  );
}
