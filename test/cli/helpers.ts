import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The built CLI: tests drive what ships. */
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export interface TempHome {
  dir: string;
  /** Environment for a CLI child: its cache and history live in `dir`, and GitHub is unreachable. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/**
 * A directory standing in for the user's home, so that tests never touch the real cache or history.
 * GITHUB_API_URL points at a closed local port: a test that forgot --demo or --api-url fails fast
 * instead of reaching the internet.
 */
export function tempHome(): TempHome {
  const dir = mkdtempSync(join(tmpdir(), 'ghsql-cli-test-'));
  const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), XDG_STATE_HOME: join(dir, 'state'), GITHUB_API_URL: 'http://127.0.0.1:9' };
  for (const name of ['GITHUB_TOKEN', 'GH_TOKEN', 'NO_COLOR', 'FORCE_COLOR']) delete env[name];
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  /** The signal that ended the CLI, when one did. */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves once stderr has shown `text` (waits look for output, never sleep). */
  stderrShows(text: string): Promise<void>;
  result: Promise<CliResult>;
}

/**
 * Starts the CLI as a subprocess. stdin is a pipe (so not a terminal), unless `stdout` gives a file
 * descriptor to write to instead of a pipe (e.g. /dev/full).
 */
export function startCli(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; cwd?: string; stdout?: number }): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: options.env, cwd: options.cwd ?? ROOT, stdio: ['pipe', options.stdout ?? 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const stderrWaits: Array<{ text: string; resolve: () => void }> = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const wait of stderrWaits.filter(({ text }) => stderr.includes(text))) {
      stderrWaits.splice(stderrWaits.indexOf(wait), 1);
      wait.resolve();
    }
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  child.stdin!.end(options.input ?? '');
  return {
    child,
    stderrShows: (text) =>
      stderr.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            stderrWaits.push({ text, resolve });
            void result.then(() => reject(new Error(`the CLI ended without showing ${JSON.stringify(text)} on stderr:\n${stderr}`)));
          }),
    result,
  };
}

/** Runs the CLI as a subprocess (stdin a pipe, so not a terminal) to its end. */
export function runCli(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; cwd?: string }): Promise<CliResult> {
  return startCli(args, options).result;
}

/** A temporary home and a stand-in for a whole test file: made before its tests, removed after. */
export function useHomeAndStandIn(): { readonly home: TempHome; readonly standIn: StandIn } {
  let home: TempHome | undefined;
  let standIn: StandIn | undefined;
  beforeAll(async () => {
    home = tempHome();
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
    home?.remove();
  });
  return {
    get home() {
      return home!;
    },
    get standIn() {
      return standIn!;
    },
  };
}
