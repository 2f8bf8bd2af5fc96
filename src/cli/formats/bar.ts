import type { ResultSet } from './result.js';
import { fitWidths, type TextFormatOptions } from './table.js';
import { displayText, isNumber, pad, textWidth, truncate, widest } from './values.js';
import { plural } from '../../index.js';

/** The width of a picture that goes to no terminal (a pipe, a .txt file), when --width does not say. */
const DEFAULT_WIDTH = 80;
/** Bars narrower than this say little: labels are cut before bars get shorter. */
const MIN_BAR = 10;
/** Eighths of a block, so that bars differ by less than a character. */
const PARTS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const LABEL_GAP = '  ';

/**
 * A bar chart of the last column: each row's other columns as its label, then a bar of block
 * characters scaled to the largest value, then the value. The whole fits the width (labels are cut
 * first, never the value). Values of 0 or less, and NULL, get no bar.
 */
export function formatBars(result: ResultSet, options: TextFormatOptions): string {
  const { style } = options;
  const valueColumn = result.columns.length - 1;
  const values = result.rows.map((row) => row[valueColumn]);
  const notNumber = values.find((value) => value !== null && !isNumber(value));
  if (valueColumn < 0 || notNumber !== undefined) {
    const name = result.columns[valueColumn]?.name ?? '';
    throw new Error(
      `bar mode draws the last column as bars, so it must hold numbers; ${JSON.stringify(name)} holds ${describe(notNumber)}. Put the number last, e.g. SELECT package_type, count(*) … GROUP BY package_type.`,
    );
  }
  const labelNames = result.columns.slice(0, valueColumn).map((column) => displayText(column.name));
  const labels = result.rows.map((row) => labelNames.map((_, i) => displayText(row[i])));
  const valueTexts = values.map((value) => displayText(value));
  const valueName = displayText(result.columns[valueColumn]!.name);
  const valueWidth = widest(valueTexts, 1);

  const width = options.width ?? DEFAULT_WIDTH;
  const gaps = LABEL_GAP.length * labelNames.length; // between labels, and before the bar
  const natural = labelNames.map((name, i) => widest(labels.map((line) => line[i]!), options.headers ? textWidth(name) : 1));
  const labelWidths = fitWidths(natural, width - gaps - MIN_BAR - 1 - valueWidth);
  const barWidth = Math.max(MIN_BAR, width - gaps - labelWidths.reduce((sum, w) => sum + w, 0) - 1 - valueWidth);

  const largest = values.reduce<number>((max, value) => (value === null ? max : Math.max(max, Number(value))), 0);
  const bar = (value: unknown) => {
    if (value === null || largest <= 0 || Number(value) <= 0) return '';
    const eighths = Math.round((Number(value) / largest) * barWidth * 8);
    return '█'.repeat(Math.floor(eighths / 8)) + PARTS[eighths % 8]!;
  };
  const label = (cells: string[]) => cells.map((cell, i) => pad(truncate(cell, labelWidths[i]!), labelWidths[i]!, false) + LABEL_GAP).join('');

  const lines: string[] = [];
  if (options.headers) lines.push(style.bold(`${label(labelNames)}${valueName}`.trimEnd()));
  result.rows.forEach((_, r) => {
    const value = values[r];
    const drawn = bar(value);
    const shown = value === null ? style.dim(valueTexts[r]!) : valueTexts[r]!;
    lines.push(`${label(labels[r]!)}${drawn}${drawn ? ' ' : ''}${shown}`);
  });
  lines.push(style.dim(`(${plural(result.rows.length, 'row')})`));
  return `${lines.join('\n')}\n`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Buffer.isBuffer(value)) return 'a blob';
  return `text (${JSON.stringify(truncate(String(value), 20))})`;
}
