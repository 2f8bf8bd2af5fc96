import type Database from 'better-sqlite3';
import { tables, type DefinedTable } from '../index.js';

/** The table sql/actions.ts registers to show what the actions did. */
const ACTION_LOG = 'ghsql_actions';

/** SQLite's own tables (sqlite_sequence…) and the temp views ghsql makes for its tables. */
const isNotTheUsers = (name: string) => name.startsWith('sqlite_') || tables.some((table) => table.name === name);

interface StoredObject {
  type: 'table' | 'view' | 'index' | 'trigger';
  name: string;
  tableName: string;
  sql: string;
}

/**
 * The user's own tables, views, indexes and triggers, in the file and in temp (SQLite keeps a temp
 * object's SQL without its TEMP, which is put back); not ghsql's own.
 */
function userObjects(db: Database.Database): StoredObject[] {
  const rows = db
    .prepare(
      `SELECT type, name, tbl_name AS tableName, sql FROM main.sqlite_schema WHERE sql IS NOT NULL
       UNION ALL SELECT type, name, tbl_name, 'CREATE TEMP ' || substr(sql, 8) FROM temp.sqlite_schema WHERE sql IS NOT NULL`,
    )
    .all() as StoredObject[];
  return rows.filter((row) => !isNotTheUsers(row.name));
}

/** `.tables`: ghsql's tables first, then the user's tables and views, one per line. */
export function listTables(db: Database.Database, pattern?: string): string {
  const own = userObjects(db)
    .filter((object) => object.type === 'table' || object.type === 'view')
    .map((object) => object.name)
    .sort();
  const names = [...tables.map((table) => table.name), ACTION_LOG, ...own];
  const like = db.prepare('SELECT ? LIKE ?').pluck();
  const matching = pattern === undefined ? names : names.filter((name) => like.get(name, pattern) === 1);
  return matching.map((name) => `${name}\n`).join('');
}

/** `.schema [table]`: ghsql tables described from their resource data; the user's by their SQL. */
export function describeSchema(db: Database.Database, table?: string): string {
  const objects = userObjects(db);
  if (table === undefined) {
    return [...tables.map(describeTable), describeActionLog(db), ...objects.map((object) => `${object.sql};\n`)].join('\n');
  }
  const ghsqlTable = tables.find((candidate) => candidate.name === table);
  if (ghsqlTable) return describeTable(ghsqlTable);
  if (table === ACTION_LOG) return describeActionLog(db);
  const own = objects.filter((object) => object.tableName === table || object.name === table);
  if (own.length === 0) throw new Error(`no table or view named ${table}; .tables lists them.`);
  return own.map((object) => `${object.sql};\n`).join('');
}

function describeTable({ resource, requiredParameters, actions }: DefinedTable): string {
  // Required: every API method behind the table needs it. Optional: it narrows or routes the request.
  const roles = new Map(resource.parameters.map((parameter) => [parameter.column, requiredParameters.includes(parameter.column) ? 'required' : 'optional']));
  const roleOf = (column: string) => roles.get(column) ?? '';
  const example = resource.parameters
    .filter((parameter) => roles.get(parameter.column) === 'required')
    .map((parameter) => `${parameter.column} = '${parameter.example}'`)
    .join(' AND ');
  const rows = [
    ['column', 'type', 'parameter', 'description'],
    ...resource.columns.map((column) => [column.name, column.type, roleOf(column.name), column.description]),
  ];
  const lines = [
    `${resource.table}: ${resource.description}`,
    `  e.g. SELECT * FROM ${resource.table}${example ? ` WHERE ${example}` : ''};`,
    '',
    ...aligned(rows).map((line) => `  ${line}`),
    '',
    '  Parameters are sent to GitHub, so compare them with = or IN (a join works too):',
    ...resource.parameters.map(
      (parameter) => `    ${parameter.column} (${roleOf(parameter.column)}): ${parameter.description}${parameter.values ? ` One of ${parameter.values.join(', ')}.` : ''}`,
    ),
  ];
  if (actions.length > 0) {
    lines.push('  Actions, SQL functions that change GitHub (off unless --allow-writes; --dry-run previews):');
    for (const { signature, action } of actions) lines.push(`    ${signature}: ${action.description}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeActionLog(db: Database.Database): string {
  const columns = db.prepare(`SELECT name FROM pragma_table_info('${ACTION_LOG}')`).pluck().all() as string[];
  return (
    `${ACTION_LOG}: what the actions did in this session, one row each.\n  columns: ${columns.join(', ')}\n` +
    `  With --db FILE and --allow-writes or --dry-run, FILE's table ghsql_audit keeps every action for good, with more columns.\n`
  );
}

/** Pads each column of text to its widest cell. */
function aligned(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
