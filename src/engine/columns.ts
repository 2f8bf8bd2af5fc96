import type { Column, Resource } from './resource.js';

/**
 * Column order of the native virtual table. better-sqlite3 routes only its first columns (the
 * parameters) to the row generator, so parameter columns come first; a temp view restores the
 * resource's own order for `SELECT *` (see virtual-table.ts).
 */
export function nativeColumns(resource: Resource): Column[] {
  const parameterColumns = resource.parameters.map((parameter) => columnNamed(resource, parameter.column));
  const others = resource.columns.filter((column) => !parameterColumns.includes(column));
  return [...parameterColumns, ...others];
}

function columnNamed(resource: Resource, name: string): Column {
  const column = resource.columns.find((candidate) => candidate.name === name);
  if (!column) throw new Error(`resource ${resource.table} has no column ${name}`);
  return column;
}

type Row = unknown[];

/**
 * Builds native-order rows from validated items; absent values are NULL, INTEGER columns BigInt. JSON columns become JSON
 * text wrapped in a String object, and rows whose value equals the previous row's share one: the
 * structured clone to the SQL thread sends an object once per batch however many rows hold it (a
 * string it would copy per row), and the same owner is on every row. The SQL thread unwraps them
 * (unwrapJsonCells).
 */
export function rowBuilder(resource: Resource): (item: Record<string, unknown>) => Row {
  const cells = nativeColumns(resource).map((column) => ({
    field: column.field ?? column.name,
    integer: column.type === 'INTEGER',
    json: column.type === 'JSON' ? { value: undefined as unknown, text: new String('') } : undefined,
  }));
  return (item) =>
    cells.map(({ field, integer, json }) => {
      const value = item[field];
      if (value === undefined || value === null) return null;
      // better-sqlite3 passes a JS number to SQLite as REAL; a BigInt arrives as an INTEGER.
      if (integer && typeof value === 'number') return BigInt(value);
      if (!json) return value;
      if (!sameJson(value, json.value)) {
        json.value = value;
        json.text = new String(JSON.stringify(value));
      }
      return json.text;
    });
}

/** Turns the JSON cells of received rows back into plain strings, in place, for SQLite. */
export function jsonCellUnwrapper(resource: Resource): (rows: Row[]) => Row[] {
  const indexes = nativeColumns(resource).flatMap((column, index) => (column.type === 'JSON' ? [index] : []));
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
