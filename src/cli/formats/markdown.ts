import { escapeControls } from '../terminal.js';
import type { ResultSet } from './result.js';
import { numericColumns, pad, plainValue, textWidth, widest } from './values.js';

/** A GitHub-flavoured Markdown table, ready to paste into an issue; NULL is an empty cell. */
export function formatMarkdown(result: ResultSet): string {
  const names = result.columns.map((column) => escapeCell(column.name));
  const cells = result.rows.map((row) => names.map((_, i) => escapeCell(String(plainValue(row[i]) ?? ''))));
  const numeric = numericColumns(result.rows, names.length);
  const widths = names.map((name, i) => widest(cells.map((line) => line[i]!), Math.max(3, textWidth(name))));
  const line = (values: string[]) => `| ${values.map((value, i) => pad(value, widths[i]!, numeric[i]!)).join(' | ')} |`;
  const separator = `| ${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return `${[line(names), separator, ...cells.map(line)].join('\n')}\n`;
}

/** Pipes would end the cell and newlines the row; control characters are shown escaped, as in tables. */
function escapeCell(text: string): string {
  return escapeControls(text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
}
