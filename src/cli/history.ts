import { appendFileSync, chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Interface } from 'node:readline';

/** Lines the shell offers with the arrow keys; the file is trimmed to this when it grows to twice as many. */
export const HISTORY_SIZE = 1000;

/** $XDG_STATE_HOME/ghsql/history, or ~/.local/state/ghsql/history. */
export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state'), 'ghsql', 'history');
}

/**
 * The shell's history file, one input line per line, appended as each statement is entered so that a
 * crash or a second shell loses nothing. Readable by the user only: queries may hold names worth
 * keeping private.
 */
class HistoryFile {
  private warned = false;
  private madePrivate = false;

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
      // The mode above applies only to a new file: one made earlier (by another tool, a copied home
      // directory, a looser umask) is made private once per session.
      if (!this.madePrivate) chmodSync(this.path, 0o600);
      this.madePrivate = true;
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

/**
 * What the shell remembers of what was typed. A statement's lines are held back until it ends (or is
 * dropped with Ctrl-C, or the shell closes), then saved with `redact` applied to the whole statement:
 * a secret argument may sit on a later line than its call. Redacting keeps the rest of the statement
 * to recall and edit; the arrow keys (readline's own list) get the same redacted lines as the file.
 */
export class ShellHistory {
  private readonly file: HistoryFile;
  private typed: string[] = [];
  /** readline's list, newest first, as its 'history' event hands it over; changed in place. */
  private recalled: string[] | undefined;

  constructor(
    path: string,
    warn: (message: string) => void,
    private readonly redact: (statement: string) => string,
  ) {
    this.file = new HistoryFile(path, warn);
  }

  /** The saved lines, newest first (as readline wants them). */
  load(): string[] {
    return this.file.load();
  }

  follow(readline: Interface): void {
    readline.on('history', (lines: string[]) => {
      this.recalled = lines;
    });
  }

  entered(line: string): void {
    this.typed.push(line);
  }

  /** The lines entered since the last call make a whole statement (or all there will be of it). */
  endStatement(): void {
    if (this.typed.length === 0) return;
    const typed = this.typed;
    this.typed = [];
    const kept = this.redact(typed.join('\n')).split('\n');
    for (const line of kept) this.file.append(line);
    if (this.recalled && kept.join('\n') !== typed.join('\n')) replaceNewest(this.recalled, typed, kept);
  }
}

/**
 * readline put the typed lines at the front of its list as they were entered (but blank lines and
 * repeats of the line before): put the kept lines there instead, by the same rules.
 */
function replaceNewest(list: string[], typed: readonly string[], kept: readonly string[]): void {
  for (const line of [...typed].reverse()) if (list[0] === line) list.shift();
  for (const line of kept) if (line.trim() !== '' && list[0] !== line) list.unshift(line);
}
