/** SQLite's numbers as better-sqlite3 gives them: number, or bigint with safeIntegers. */
export function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** The column holds numbers, NULL aside, at least one. */
export function numericColumn(rows: ReadonlyArray<readonly unknown[]>, index: number): boolean {
  return rows.some((row) => isNumber(row[index])) && rows.every((row) => row[index] === null || row[index] === undefined || isNumber(row[index]));
}

/** A byte count as people read it: 1.4 MB (powers of 1,000, as registries show sizes). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value.toLocaleString('en-US')} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Results as columns and rows of values in column order: what the CLI holds (names may repeat). */
export interface ResultTable {
  columns: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
}

/** Objects (as all() returns them) as columns and rows; `taker` names what takes them, for the error. */
export function asTable(rows: readonly unknown[], taker: string): ResultTable {
  if (!Array.isArray(rows) || rows.some((row) => typeof row !== 'object' || row === null || Array.isArray(row))) {
    throw new TypeError(`${taker} takes rows as objects, as db.prepare(sql).all() returns them (not .raw() arrays).`);
  }
  const objects = rows as ReadonlyArray<Record<string, unknown>>;
  const columns = objects.length === 0 ? [] : Object.keys(objects[0]!);
  return { columns, rows: objects.map((row) => columns.map((column) => row[column])) };
}
