import type Database from 'better-sqlite3';
import type { StandIn } from '../../dist/stand-in/thread.js';

export const PACKAGE_TYPES = ['npm', 'maven', 'rubygems', 'docker', 'nuget', 'container'] as const;

type Item = Record<string, unknown>;

/**
 * Every package the stand-in lists, read without ghsql: plain fetch of each type's list, page by page
 * while the Link header has rel="next". Checks that each list holds its own type only and no id twice,
 * so the reference data cannot silently be wrong.
 */
export async function fetchAllPackages(standIn: StandIn): Promise<Item[]> {
  const items: Item[] = [];
  const ids = new Set<unknown>();
  for (const type of PACKAGE_TYPES) {
    for (let page = 1; ; page++) {
      const url = `${standIn.url}/user/packages?package_type=${type}&per_page=100&page=${page}`;
      const response = await fetch(url, { headers: { authorization: `token ${standIn.token}`, accept: 'application/vnd.github+json' } });
      if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
      const body = (await response.json()) as Item[];
      for (const item of body) {
        if (item['package_type'] !== type) throw new Error(`GET ${url} listed a ${String(item['package_type'])} package: is a misbehaviour switch on?`);
        if (ids.has(item['id'])) throw new Error(`GET ${url} listed id ${String(item['id'])} twice`);
        ids.add(item['id']);
        items.push(item);
      }
      if (!/rel="next"/.test(response.headers.get('link') ?? '')) break;
    }
  }
  return items;
}

export interface ColumnInfo {
  name: string;
  type: string;
}

/** ghsql's columns, as SQLite declares them on the view. */
export function ghsqlColumns(db: Database.Database): ColumnInfo[] {
  return db.prepare('PRAGMA table_info(auth_user_packages)').all() as ColumnInfo[];
}

/**
 * Table `name` with the columns and declared types of ghsql's view, holding `items`: object fields
 * (owner, repository) as JSON.stringify text, absent fields NULL, package_name = name.
 */
export function createPlainTable(db: Database.Database, name: string, items: readonly Item[]): ColumnInfo[] {
  const columns = ghsqlColumns(db);
  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
  db.exec(`CREATE TABLE ${quote(name)} (${columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ')})`);
  const insert = db.prepare(`INSERT INTO ${quote(name)} VALUES (${columns.map(() => '?').join(', ')})`);
  const cell = (item: Item, column: string): unknown => {
    const value = column === 'package_name' ? item['name'] : item[column];
    if (value === undefined || value === null) return null;
    if (typeof value === 'object') return JSON.stringify(value);
    if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
    if (typeof value === 'string' || typeof value === 'number') return value;
    throw new Error(`field ${column} of package ${String(item['id'])} is a ${typeof value}`);
  };
  db.transaction(() => {
    for (const item of items) insert.run(...columns.map((column) => cell(item, column.name)));
  })();
  return columns;
}
