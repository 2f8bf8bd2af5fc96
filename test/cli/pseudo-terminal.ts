import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT } from './helpers.js';

const DRIVER = join(ROOT, 'test', 'cli', 'pty-driver.py');

/** Escape sequences (cursor moves, colours) and carriage returns: what the eye does not read. */
const INVISIBLE = /\x1b\[[0-?]*[ -/]*[@-~]|\r/g;

/**
 * The CLI in a real pseudo-terminal (through pty-driver.py), driven like a person at the keyboard:
 * type keys, then wait for text to appear. Waits look for text, never sleep.
 */
export class Terminal {
  /** Everything the terminal showed, escape sequences included. */
  raw = '';
  private readonly child: ChildProcessWithoutNullStreams;
  private mark = 0;
  private waiter: (() => void) | undefined;
  readonly exitCode: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv, size: { columns: number; rows: number } = { columns: 100, rows: 40 }) {
    this.child = spawn('python3', [DRIVER, String(size.columns), String(size.rows), process.execPath, CLI, ...args], {
      env: { TERM: 'xterm-256color', ...env },
    });
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.raw += chunk;
      this.waiter?.();
    });
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.raw += `[driver] ${chunk}`));
    this.exitCode = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Types text; "\r" is Enter, "\x03" Ctrl-C, "\x04" Ctrl-D, "\x1b[A" the up arrow. */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /**
   * Waits until `expected` appears in what was shown since the last wait, and returns that text
   * without escape sequences. The next wait starts after the match.
   */
  waitFor(expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`timed out waiting for ${String(expected)}; the terminal showed:\n${visible(this.raw.slice(this.mark)).text}`));
      }, timeoutMs);
      const check = () => {
        const { text, rawIndex } = visible(this.raw.slice(this.mark));
        const match = typeof expected === 'string' ? { index: text.indexOf(expected), length: expected.length } : matchOf(expected, text);
        if (match.index < 0) return;
        const end = match.index + match.length;
        this.mark += rawIndex[end - 1]! + 1;
        this.waiter = undefined;
        clearTimeout(timer);
        resolve(text.slice(0, end));
      };
      this.waiter = check;
      check();
    });
  }

  kill(): void {
    this.child.kill();
  }
}

function matchOf(pattern: RegExp, text: string): { index: number; length: number } {
  const match = pattern.exec(text);
  return match ? { index: match.index, length: match[0].length } : { index: -1, length: 0 };
}

/** Text without escape sequences, and for each of its characters the index it had in the raw text. */
export function visible(raw: string): { text: string; rawIndex: number[] } {
  let text = '';
  const rawIndex: number[] = [];
  let from = 0;
  const keep = (to: number) => {
    for (let i = from; i < to; i++) {
      text += raw[i];
      rawIndex.push(i);
    }
  };
  for (const match of raw.matchAll(INVISIBLE)) {
    keep(match.index);
    from = match.index + match[0].length;
  }
  keep(raw.length);
  return { text, rawIndex };
}
