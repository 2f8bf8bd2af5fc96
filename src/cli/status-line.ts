import { escapeControls, type Style, type Writer } from './terminal.js';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * The progress line on stderr while pages load ("⠹ 3 pages, 300 rows"), on a terminal only. The SQL
 * thread is blocked while a query runs, so the line is redrawn from the per-page callback rather than
 * a timer. Other stderr lines (trace, actions, errors) go through `message` so that they never land
 * in the middle of it.
 */
export class StatusLine {
  private pages = 0;
  private rows = 0;
  private shown = false;
  private readonly enabled: boolean;

  constructor(
    private readonly stream: Writer,
    private readonly style: Style,
  ) {
    this.enabled = stream.isTTY;
  }

  /** A page of `rows` rows reached SQLite. */
  batch(rows: number): void {
    this.pages++;
    this.rows += rows;
    if (this.enabled) this.draw();
  }

  /**
   * Writes a whole line to stderr, above the progress line. Every line on stderr passes here, and
   * `text` may hold names from GitHub or SQL the user typed, so its control characters are shown
   * escaped; `decorate` then adds ghsql's own styling (dim, a red `error:`).
   */
  message(text: string, decorate: (escaped: string) => string = (escaped) => escaped): void {
    const shown = this.shown;
    this.clear();
    this.stream.write(`${decorate(escapeControls(text))}\n`);
    if (shown) this.draw();
  }

  /** Removes the line (before results are printed) and starts counting anew. */
  finish(): void {
    this.clear();
    this.pages = 0;
    this.rows = 0;
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(): void {
    const spinner = SPINNER[this.pages % SPINNER.length];
    this.stream.write(`\r\x1b[K${this.style.dim(`${spinner} ${plural(this.pages, 'page')}, ${plural(this.rows, 'row')} so far`)}`);
    this.shown = true;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
