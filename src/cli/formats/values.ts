import { eastAsianWidth } from 'get-east-asian-width';
import { escapeControls } from '../terminal.js';
/** How formats show one SQLite value. */

/**
 * A value as JSON and CSV carry it: blobs as hex, integers beyond 2^53 as text (statements read
 * integers as BigInt, so that they keep their type in .export; a safe one is a plain number here).
 */
export function plainValue(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'bigint') return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

export const NULL_TEXT = 'NULL';

/**
 * A value (or column name) on one line of a text table: NULL spelled out, blobs by size, newlines
 * and control characters escaped, so that data can neither break the layout nor drive the terminal.
 */
export function displayText(value: unknown): string {
  if (value === null || value === undefined) return NULL_TEXT;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  return escapeControls(String(value).replace(/\r?\n/g, '\\n').replace(/\t/g, ' '));
}

export function isNumber(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Columns to right-align: every value is a number or NULL, and at least one is a number. */
export function numericColumns(rows: unknown[][], count: number): boolean[] {
  return Array.from({ length: count }, (_, i) => rows.some((row) => isNumber(row[i])) && rows.every((row) => row[i] === null || isNumber(row[i])));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Terminal columns of one user-perceived character: wide East Asian and emoji take two, marks none. */
function graphemeWidth(grapheme: string): number {
  const codePoint = grapheme.codePointAt(0)!;
  if (/^\p{Mark}/u.test(grapheme) || codePoint === 0x200b) return 0;
  if (/\p{Extended_Pictographic}/u.test(grapheme) && (grapheme.includes('\u{FE0F}') || eastAsianWidth(codePoint) === 2)) return 2;
  return eastAsianWidth(codePoint);
}

/** Width on screen in terminal columns. */
export function textWidth(text: string): number {
  // Plain ASCII, the common case, needs no segmenting.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Cuts text to `width` terminal columns, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = graphemeWidth(segment);
    if (used + next > width - 1) break;
    kept += segment;
    used += next;
  }
  return `${kept}…`;
}

/**
 * The widest text's width, at least `floor`. A loop, not Math.max(...): spreading the values of a
 * long result (a few hundred thousand rows) as arguments overflows the stack.
 */
export function widest(texts: readonly string[], floor: number): number {
  let width = floor;
  for (const text of texts) width = Math.max(width, textWidth(text));
  return width;
}

export function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - textWidth(text)));
  return right ? fill + text : text + fill;
}
