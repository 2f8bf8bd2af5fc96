import type Database from 'better-sqlite3';
import { ghsqlTableReadFromFile, temporaryTableAdvice } from './explain-error.js';

/** CREATE [IF NOT EXISTS] VIEW without TEMP: the view is stored in the database file. */
const CREATE_STORED_VIEW = /^\s*CREATE\s+VIEW\b/i;

/**
 * SQLite accepts `CREATE VIEW v AS SELECT … FROM auth_user_packages` in the database file and only
 * fails when v is read ("no such table: main.auth_user_packages"), leaving a broken view behind for
 * every later session and tool. Runs such a statement in a savepoint, tries each new view, and takes
 * the statement back with an explanation when a view reads a ghsql table.
 */
export function runCheckingStoredViews(db: Database.Database, sql: string, run: () => void): void {
  if (!CREATE_STORED_VIEW.test(sql)) return run();
  const before = new Set(storedViews(db));
  db.exec('SAVEPOINT ghsql_create_view');
  try {
    run();
    for (const view of storedViews(db)) if (!before.has(view)) checkView(db, view);
    db.exec('RELEASE ghsql_create_view');
  } catch (error) {
    db.exec('ROLLBACK TO ghsql_create_view; RELEASE ghsql_create_view');
    throw error;
  }
}

function storedViews(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'view'").pluck().all() as string[]);
}

function checkView(db: Database.Database, view: string): void {
  try {
    db.prepare(`SELECT * FROM main."${view.replace(/"/g, '""')}"`);
  } catch (error) {
    const table = ghsqlTableReadFromFile(error instanceof Error ? error.message : String(error));
    // Other problems (a table created later, say) are the user's to sort out, as in sqlite3.
    if (table) throw new Error(temporaryTableAdvice(`view ${view} would be stored in the database file and reads ${table}`));
  }
}
