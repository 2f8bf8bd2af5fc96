import type { TextFormatOptions } from './table.js';
import type { ResultSet } from './result.js';
import { displayText, pad, widest } from './values.js';

/** One `column = value` line per column, a blank line between rows (sqlite3's line mode). */
export function formatLines(result: ResultSet, options: TextFormatOptions): string {
  const names = result.columns.map((column) => displayText(column.name));
  const width = widest(names, 0);
  const records = result.rows.map((row) =>
    names
      .map((name, i) => {
        const value = row[i] === null ? options.style.dim(displayText(null)) : displayText(row[i]);
        return `${pad(name, width, true)} = ${value}\n`;
      })
      .join(''),
  );
  return records.join('\n');
}
