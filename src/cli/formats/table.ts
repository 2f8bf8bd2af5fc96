import type { Style } from '../terminal.js';
import type { ResultSet } from './result.js';
import { displayText, numericColumns, pad, textWidth, truncate, widest } from './values.js';
import { plural } from '../../index.js';

export interface TextFormatOptions {
  headers: boolean;
  /** Terminal columns to fit into; undefined: no limit. */
  width: number | undefined;
  style: Style;
}

/** An aligned table with box drawing, numbers right-aligned, NULL dimmed, cut to the terminal width. */
export function formatTable(result: ResultSet, options: TextFormatOptions): string {
  const { style } = options;
  const names = result.columns.map((column) => displayText(column.name));
  const cells = result.rows.map((row) => names.map((_, i) => displayText(row[i])));
  const numeric = numericColumns(result.rows, names.length);
  const natural = names.map((name, i) => widest(cells.map((line) => line[i]!), options.headers ? textWidth(name) : 1));
  // Each column costs its width plus "│ " before and " " after; one more "│" closes the line.
  const widths = options.width === undefined ? natural : fitWidths(natural, options.width - (3 * names.length + 1));

  const rule = (left: string, middle: string, right: string) =>
    style.dim(`${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`);
  const bar = style.dim('│');
  const line = (values: string[], render: (text: string, i: number) => string) =>
    `${bar} ${values.map((value, i) => render(pad(truncate(value, widths[i]!), widths[i]!, numeric[i]!), i)).join(` ${bar} `)} ${bar}`;

  const lines = [rule('┌', '┬', '┐')];
  if (options.headers) lines.push(line(names, (text) => style.bold(text)), rule('├', '┼', '┤'));
  result.rows.forEach((row, r) => lines.push(line(cells[r]!, (text, i) => (row[i] === null ? style.dim(text) : text))));
  lines.push(rule('└', '┴', '┘'), style.dim(`(${plural(result.rows.length, 'row')})`));
  return `${lines.join('\n')}\n`;
}

/**
 * Narrows the widest columns to one shared cap, the largest that fits the budget, so that narrow
 * columns stay whole; space the cap leaves over goes to the capped columns from the left.
 */
export function fitWidths(natural: number[], budget: number): number[] {
  const total = (cap: number) => natural.reduce((sum, width) => sum + Math.min(width, cap), 0);
  if (total(Infinity) <= budget) return natural;
  let low = 1;
  let high = Math.max(...natural);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (total(middle) <= budget) low = middle;
    else high = middle - 1;
  }
  let spare = Math.max(0, budget - total(low));
  return natural.map((width) => {
    if (width <= low) return width;
    const extra = spare > 0 ? 1 : 0;
    spare -= extra;
    return low + extra;
  });
}
