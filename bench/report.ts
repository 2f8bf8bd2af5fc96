/** One line of the results table. Measurements are medians over the runs. */
export interface ResultRow {
  scenario: string;
  ghsql: string;
  baseline: string;
  /** ghsql ÷ baseline, when both are numbers of the same unit. */
  ratio?: number;
  requests: string;
  bar: string;
  /** Undefined for a line that reports a figure without a bar. */
  pass?: boolean;
}

export const milliseconds = (ms: number) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US')} ms`;
export const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
export const perSecond = (count: number, ms: number) => `${Math.round((count * 1000) / ms).toLocaleString('en-US')} rows/s`;

const HEADINGS = ['scenario', 'ghsql (median)', 'baseline (median)', 'ratio', 'requests', 'bar', 'result'];

/** A Markdown table: readable in a terminal and ready for the README. */
export function formatResults(rows: readonly ResultRow[]): string {
  const cells = rows.map((row) => [
    row.scenario,
    row.ghsql,
    row.baseline,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`,
    row.requests,
    row.bar,
    row.pass === undefined ? '' : row.pass ? 'pass' : '**FAIL**',
  ]);
  const widths = HEADINGS.map((heading, column) => Math.max(heading.length, ...cells.map((line) => line[column]!.length)));
  const line = (values: readonly string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
  return [line(HEADINGS), rule, ...cells.map(line)].join('\n');
}
