import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Lines the shell offers with the arrow keys; the file is trimmed to this when it grows to twice as many. */
export const HISTORY_SIZE = 1000;

/** $XDG_STATE_HOME/ghsql/history, or ~/.local/state/ghsql/history. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'ghsql', 'history');
}

/**
 * The shell's history, one input line per line, appended as each line is entered so that a crash or
 * a second shell loses nothing. Readable by the user only: queries may hold names worth keeping private.
 */
export class HistoryFile {
  private warned = false;

  constructor(
    private readonly path: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** The saved lines, newest first (as readline wants them). */
  load(): string[] {
    let lines: string[];
    try {
      lines = readFileSync(this.path, 'utf8').split('\n').filter((line) => line !== '');
    } catch {
      return []; // no history yet
    }
    if (lines.length > 2 * HISTORY_SIZE) {
      lines = lines.slice(-HISTORY_SIZE);
      this.attempt(() => writeFileSync(this.path, lines.map((line) => `${line}\n`).join(''), { mode: 0o600 }));
    }
    return lines.slice(-HISTORY_SIZE).reverse();
  }

  append(line: string): void {
    if (line.trim() === '') return;
    this.attempt(() => {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      appendFileSync(this.path, `${line}\n`, { mode: 0o600 });
    });
  }

  /** History is a convenience: a file that cannot be written costs one warning, not the session. */
  private attempt(write: () => void): void {
    try {
      write();
    } catch (error) {
      if (this.warned) return;
      this.warned = true;
      this.warn(`history is not saved: cannot write ${this.path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); set XDG_STATE_HOME to a writable directory.`);
    }
  }
}
