import type { ResultSet } from './result.js';
import { plainValue } from './values.js';

/** Rows as objects keyed by column name; JSON columns become nested objects, not strings. */
function rowObjects(result: ResultSet): Array<Record<string, unknown>> {
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    result.columns.forEach((column, i) => {
      const value = plainValue(row[i]);
      object[column.name] = column.json && typeof value === 'string' ? nestedJson(value) : value;
    });
    return object;
  });
}

/** A JSON column's text as a nested value; other text in that column (a UNION, a literal) stays text. */
function nestedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON array of row objects. */
export function formatJson(result: ResultSet): string {
  return `${JSON.stringify(rowObjects(result), null, 2)}\n`;
}

/** One JSON object per line (newline-delimited JSON), for jq and streaming readers. */
export function formatNdjson(result: ResultSet): string {
  return rowObjects(result)
    .map((object) => `${JSON.stringify(object)}\n`)
    .join('');
}
