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

export function columnNamed(resource: Resource, name: string): Column {
  const column = resource.columns.find((candidate) => candidate.name === name);
  if (!column) throw new Error(`resource ${resource.table} has no column ${name}`);
  return column;
}

type Row = unknown[];

/** Builds native-order rows from validated items; JSON columns become JSON text, absent values NULL. */
export function rowBuilder(resource: Resource): (item: Record<string, unknown>) => Row {
  const cells = nativeColumns(resource).map((column) => ({ field: column.field ?? column.name, json: column.type === 'JSON' }));
  return (item) =>
    cells.map(({ field, json }) => {
      const value = item[field];
      if (value === undefined || value === null) return null;
      return json ? JSON.stringify(value) : value;
    });
}
