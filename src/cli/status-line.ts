import { plural, type Progress } from '../index.js';
import { textWidth, truncate } from './formats/values.js';
import { escapeControls, type Style, type Writer } from './terminal.js';

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/** --progress: `auto` shows the line on a terminal only. */
export type ProgressMode = 'auto' | 'always' | 'never';

/**
 * The progress line on stderr while a statement runs ("⠹ 3 of 5 pages, 300 rows so far"). The SQL
 * thread is blocked meanwhile, so it is redrawn from the bridge's progress callback (each page, and
 * a heartbeat while a request is slow) rather than a timer. Other stderr lines (trace, actions,
 * errors) go through `message` so that they never land in the middle of it.
 *
 * It is drawn with carriage returns and spaces only, no erase sequences: a terminal shows the same,
 * and a notebook that shows `!ghsql` (a pseudo-terminal whose output it renders, understanding `\r`
 * but not `ESC [K`) is left with no residue. On a terminal it spins and is cleared before results;
 * elsewhere (--progress into a log) it stays still, changes only with the counts, and ends with a
 * newline so the last count is kept.
 */
export class StatusLine {
  private readonly enabled: boolean;
  private readonly animated: boolean;
  /** Columns of the line now shown; 0 when none is. */
  private shown = 0;
  private text = '';
  private frame = 0;

  constructor(
    private readonly stream: Writer,
    private readonly style: Style,
    mode: ProgressMode = 'auto',
  ) {
    this.enabled = mode === 'always' || (mode === 'auto' && stream.isTTY);
    this.animated = stream.isTTY;
  }

  progress(progress: Progress): void {
    if (!this.enabled) return;
    const text = describe(progress);
    if (!this.animated && text === this.text) return;
    this.text = text;
    this.frame++;
    this.draw();
  }

  /**
   * Writes a whole line to stderr, above the progress line. Every line on stderr passes here, and
   * `text` may hold names from GitHub or SQL the user typed, so its control characters are shown
   * escaped; `decorate` then adds ghsql's own styling (dim, a red `error:`).
   */
  message(text: string, decorate: (escaped: string) => string = (escaped) => escaped): void {
    const shown = this.shown > 0;
    this.clear();
    this.stream.write(`${decorate(escapeControls(text))}\n`);
    if (shown) this.draw();
  }

  /** The statement has ended: the line goes (results follow), and the next statement counts anew. */
  finish(): void {
    this.clear();
    this.text = '';
    this.frame = 0;
  }

  private clear(): void {
    if (this.shown === 0) return;
    this.stream.write(this.animated ? `\r${' '.repeat(this.shown)}\r` : '\n');
    this.shown = 0;
  }

  private draw(): void {
    const line = this.animated ? `${SPINNER[this.frame % SPINNER.length]} ${this.text}` : this.text;
    // One column short of the width: a line that filled it would wrap on some terminals, and `\r`
    // would then return to the second row, leaving the first behind.
    const columns = this.stream.columns;
    const cut = columns === undefined ? line : truncate(line, Math.max(1, columns - 1));
    const width = textWidth(cut);
    // Spaces over what a longer line left, then the cursor stays at the end (the next draw starts with \r).
    this.stream.write(`\r${this.style.dim(cut)}${' '.repeat(Math.max(0, this.shown - width))}`);
    this.shown = width;
  }
}

function describe({ pages, pagesTotal, rows, waitingUntil, actions, rateLimit }: Progress): string {
  if (waitingUntil) return `waiting for GitHub's rate limit until ${clockTime(waitingUntil)} (Ctrl-C stops)`;
  // During writes, what a cleanup run waits on: how many are done, and the budget they draw on.
  if (actions !== undefined) {
    const budget = rateLimit ? `, ${rateLimit.remaining.toLocaleString('en-US')} requests left${rateLimit.resetsAt ? ` until ${clockTime(rateLimit.resetsAt)}` : ''}` : '';
    return `${plural(actions, 'action')} so far${budget} (Ctrl-C stops)`;
  }
  if (pages === 0) return 'waiting for GitHub (Ctrl-C stops)';
  const pageCount = pagesTotal !== undefined && pagesTotal > pages ? `${pages.toLocaleString('en-US')} of ${plural(pagesTotal, 'page')}` : plural(pages, 'page');
  return `${pageCount}, ${plural(rows, 'row')} so far`;
}


const clockTime = (time: Date) => time.toTimeString().slice(0, 8);
