import { closeSync, openSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { getSystemErrorMap } from 'node:util';
import { messageOf } from '../index.js';

/** ANSI styles, or plain text when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const COLOUR: Style = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39) };
export const PLAIN: Style = { bold: (text) => text, dim: (text) => text, red: (text) => text };

/** --color: `auto` decides by the place the text goes, the others are the user's say. */
export type ColorMode = 'auto' | 'always' | 'never';
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

/**
 * `auto`: never when NO_COLOR is set (https://no-color.org); always when FORCE_COLOR is (a notebook
 * kernel sets it for `!ghsql`, whose output it shows in colour); otherwise on a terminal only.
 */
export function styleFor(stream: { isTTY?: boolean }, mode: ColorMode = 'auto', env: NodeJS.ProcessEnv = process.env): Style {
  if (mode !== 'auto') return mode === 'always' ? COLOUR : PLAIN;
  if (env['NO_COLOR']) return PLAIN;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return COLOUR;
  return stream.isTTY === true ? COLOUR : PLAIN;
}

/** How an error is shown on stderr: a red `error:`, then the message (already escaped). */
export const asError =
  (style: Style) =>
  (message: string): string =>
    `${style.red('error:')} ${message}`;

/**
 * Characters a terminal acts on instead of showing: C0 controls other than newline and tab (ESC
 * starts colour and cursor sequences, BEL rings, BS and CR overwrite what was shown), DEL, the C1
 * controls (U+009B is a CSI of its own), and the bidirectional overrides and isolates, which make
 * text read differently from what it holds.
 */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from GitHub, a database or the user, made safe to write to a terminal: each control character
 * is shown as an escape (`\x1b[31m`, `\r`), so that data can neither colour, move nor clear the screen.
 * Newlines and tabs are left to the caller (tables put values on one line themselves).
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (char) => {
    if (char === '\r') return '\\r';
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** An operating-system error as words and code: "no space left on device (ENOSPC)". */
export function describeSystemError(error: unknown): string {
  const { code, errno } = error as NodeJS.ErrnoException;
  if (code === undefined) return messageOf(error);
  const words = errno === undefined ? undefined : getSystemErrorMap().get(errno)?.[1];
  return words ? `${words} (${code})` : code;
}

/**
 * Writing to stdout failed. It ends the script or shell wherever it happens: a reader that left
 * (`| head`, EPIPE) has what it wanted, so ghsql stops quietly; any other failure (a full disk) is
 * an error.
 */
export class StdoutError extends Error {
  readonly readerLeft: boolean;

  constructor(cause: unknown) {
    super(`cannot write the results to stdout: ${describeSystemError(cause)}`, { cause });
    this.readerLeft = (cause as NodeJS.ErrnoException).code === 'EPIPE';
  }
}

/** For waiting on a full, non-blocking pipe: Atomics.wait is the one synchronous sleep there is. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` before returning. ghsql's SQL thread works synchronously anyway, so a slow
 * reader simply holds it back (nothing piles up in memory), and a closed pipe or a full disk throws
 * here, in the statement that wrote, so that nothing runs after it. process.stdout would instead
 * queue the text on a pipe and report the failure only once the whole script had run.
 */
function writeAll(fd: number, text: string): void {
  let rest = Buffer.from(text, 'utf8');
  while (rest.length > 0) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      // A pipe that Node made non-blocking (touching process.stdout or process.stderr does, and
      // `2>&1` shares one pipe between them) says EAGAIN when full: wait a little for the reader.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/** A place lines of text go; isTTY says whether a person is looking at it. */
export interface Writer {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Columns of the terminal, when it is one. */
  readonly columns?: number;
}

/**
 * stderr, written synchronously like the results so that the two stay in order. A failing stderr
 * is ignored: there is nowhere left to report it, and the results may still arrive.
 */
export function stderrWriter(): Writer {
  return {
    write(text) {
      try {
        writeAll(2, text);
      } catch {
        // nowhere to say so
      }
    },
    isTTY: isatty(2),
    get columns() {
      return isatty(2) && process.stderr.columns > 0 ? process.stderr.columns : undefined;
    },
  };
}

/** Where results go: the terminal or pipe on stdout, or a file chosen with `.output`. */
export interface Sink {
  write(text: string): void;
  /** Columns of the terminal; undefined when not writing to one (nothing is truncated then). */
  readonly width: number | undefined;
  readonly style: Style;
  close(): void;
}

/** How results fit where they land: --color, and --width (0: never cut; undefined: the terminal's). */
export interface Display {
  color: ColorMode;
  width?: number;
}

export function stdoutSink(display: Display = { color: 'auto' }): Sink {
  // process.stdout is touched only for a terminal (its width): on a pipe, creating it makes the
  // pipe non-blocking, for this process and for whoever shares it.
  const terminal = isatty(1);
  return {
    write(text) {
      try {
        writeAll(1, text);
      } catch (error) {
        throw new StdoutError(error);
      }
    },
    get width() {
      if (display.width !== undefined) return display.width === 0 ? undefined : display.width;
      return terminal && process.stdout.columns > 0 ? process.stdout.columns : undefined;
    },
    style: styleFor({ isTTY: terminal }, display.color),
    close: () => undefined,
  };
}

export function fileSink(path: string): Sink {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new Error(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; give a file in a directory you can write to.`);
  }
  return {
    write(text) {
      try {
        writeAll(fd, text);
      } catch (error) {
        throw new Error(`cannot write ${path}: ${describeSystemError(error)}.`);
      }
    },
    width: undefined,
    style: PLAIN,
    close: () => closeSync(fd),
  };
}
