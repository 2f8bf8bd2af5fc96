import type { DefinedTable } from './define.js';
import { quoteIdentifier } from './sql-identifier.js';
import type { Column, Item, ValueSource } from './types.js';
import type { Row } from './wire.js';

/**
 * The native table's declaration. Parameters are HIDDEN so that table-valued-function arguments fill
 * them (the view shows them). WITHOUT ROWID with the resource's key: better-sqlite3 numbers each
 * call's rows from 0, and SQLite merges the branches of an OR by rowid, so with rowids the second
 * branch's rows were dropped as duplicates of the first's; a primary key gives rows their own identity.
 */
export function tableDeclaration({ resource, nativeColumns, parameterIndex }: DefinedTable): string {
  const declare = (column: Column) =>
    `${quoteIdentifier(column.name)} ${column.type === 'INTEGER' ? 'INTEGER' : 'TEXT'}${parameterIndex.has(column.name) ? ' HIDDEN' : ''}`;
  const key = resource.key.map(quoteIdentifier).join(', ');
  return `CREATE TABLE x(${nativeColumns.map(declare).join(', ')}, PRIMARY KEY (${key})) WITHOUT ROWID`;
}

type Extract = (item: Item, sent: Readonly<Record<string, string>>) => unknown;

function extractor(source: ValueSource): Extract {
  if ('field' in source) {
    const path = source.field.split('.');
    if (path.length === 1) return (item) => item[source.field];
    return (item) => path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Item)[key] : undefined), item);
  }
  if ('parameter' in source) {
    const otherwise = source.otherwise ? extractor(source.otherwise) : () => undefined;
    return (item, sent) => sent[source.parameter] ?? otherwise(item, sent);
  }
  return (item) => source.derive(item);
}

/**
 * Builds native-order rows from validated items and the values the request was sent with; absent
 * values are NULL, INTEGER columns BigInt. JSON columns become JSON text wrapped in a String object,
 * and rows whose value equals the previous row's share one: the structured clone to the SQL thread
 * sends an object once per batch however many rows hold it (a string it would copy per row), and the
 * same owner is on every row. The SQL thread unwraps them (jsonCellUnwrapper).
 */
export function rowBuilder({ nativeColumns }: DefinedTable): (item: Item, sent: Readonly<Record<string, string>>) => Row {
  const cells = nativeColumns.map((column) => ({
    extract: extractor(column.from ?? { field: column.name }),
    integer: column.type === 'INTEGER',
    json: column.type === 'JSON' ? { value: undefined as unknown, text: new String('') } : undefined,
  }));
  return (item, sent) =>
    cells.map(({ extract, integer, json }) => {
      const value = extract(item, sent);
      if (value === undefined || value === null) return null;
      // better-sqlite3 passes a JS number to SQLite as REAL; a BigInt arrives as an INTEGER.
      if (integer) return (typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? BigInt(value) : value;
      if (!json) return value;
      if (!sameJson(value, json.value)) {
        json.value = value;
        json.text = new String(JSON.stringify(value));
      }
      return json.text;
    });
}

/** Turns the JSON cells of received rows back into plain strings, in place, for SQLite. */
export function jsonCellUnwrapper({ jsonIndexes: indexes }: DefinedTable): (rows: Row[]) => Row[] {
  return (rows) => {
    for (const row of rows) {
      for (const index of indexes) if (row[index] !== null) row[index] = String(row[index]);
    }
    return rows;
  };
}

/** Whether two parsed JSON values would stringify the same (same keys in the same order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i]!;
    if (key !== bKeys[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
