import { htmlPage } from '../../index.js';
import type { ResultSet } from './result.js';

/** The rows as a self-contained HTML page (the library's htmlPage): a chart when they hold a label and numbers, and the table, every row of it. */
export function formatHtml(result: ResultSet): string {
  return htmlPage({ columns: result.columns.map((column) => column.name), rows: result.rows }, { limit: Number.POSITIVE_INFINITY });
}
