import { closeSync, openSync, writeSync } from 'node:fs';

/** ANSI styles, or plain text when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const COLOUR: Style = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39) };
export const PLAIN: Style = { bold: (text) => text, dim: (text) => text, red: (text) => text };

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY === true && !env['NO_COLOR'] ? COLOUR : PLAIN;
}

/** Where results go: the terminal or pipe on stdout, or a file chosen with `.output`. */
export interface Sink {
  write(text: string): void;
  /** Columns of the terminal; undefined when not writing to one (nothing is truncated then). */
  readonly width: number | undefined;
  readonly style: Style;
  close(): void;
}

export function stdoutSink(): Sink {
  const stdout = process.stdout;
  return {
    write: (text) => void stdout.write(text),
    get width() {
      return stdout.isTTY && stdout.columns > 0 ? stdout.columns : undefined;
    },
    style: styleFor(stdout),
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
    write: (text) => void writeSync(fd, text),
    width: undefined,
    style: PLAIN,
    close: () => closeSync(fd),
  };
}
