import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, ROOT, startCli, tempHome, type CliResult, type TempHome } from './helpers.js';

/**
 * How the CLI ends when its reader goes away, its disk fills up or it is signalled: quietly or with
 * one line, and without leaving files behind. Each test has its own TMPDIR, so that what another
 * process leaves in /tmp cannot make it pass or fail.
 */
let home: TempHome;
let tmp: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  home = tempHome();
  tmp = join(home.dir, 'tmp');
  mkdirSync(tmp);
  env = { ...home.env, TMPDIR: tmp };
});
afterEach(() => home.remove());

/** Far more than a pipe holds (64 KiB; 50,000 rows make 340 KB of csv), so that the reader leaves while ghsql is still writing. */
const MANY_ROWS = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000) SELECT x FROM n';
const STACK_TRACE = /^\s+at |node:internal|Error:/m;

/** What the CLI left: the private TMPDIR and the user's cache must be as empty as before. */
function leftBehind(): string[] {
  const cache = join(home.dir, 'cache');
  return [...readdirSync(tmp), ...(existsSync(cache) ? readdirSync(cache).map((name) => `cache/${name}`) : [])];
}

/** `ghsql ARGS | head -1` in bash; the exit code is ghsql's (PIPESTATUS), stderr is ghsql's. */
function pipedIntoHead(args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', '"$@" | head -1; exit "${PIPESTATUS[0]}"', 'bash', process.execPath, CLI, ...args], { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('a reader that leaves early (ghsql … | head -1)', () => {
  it.each(['csv', 'table', 'json'])('ends ghsql quietly with status 0 and leaves nothing behind (%s)', async (format) => {
    const { code, stdout, stderr } = await pipedIntoHead(['--demo', '--format', format, MANY_ROWS]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')).toHaveLength(2);
    expect(leftBehind()).toEqual([]);
  });

  it('stops the script there: nothing after the statement runs', async () => {
    const marker = join(home.dir, 'ran-on.txt');
    const { code, stderr } = await pipedIntoHead(['--demo', '--format', 'csv'], `${MANY_ROWS};\n.output ${marker}\nSELECT 'after';\n`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('a full disk (ghsql … > /dev/full)', () => {
  it('says so in one line, exits 1 and leaves nothing behind', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const { code, stderr } = await startCli(['--demo', 'SELECT 1 AS one'], { env, stdout: full }).result;
      expect(code).toBe(1);
      expect(stderr).toBe('error: cannot write the results to stdout: no space left on device (ENOSPC)\n');
      const script = await startCli(['--demo'], { env, stdout: full, input: "SELECT 1;\nSELECT 'never' AS step;\n" }).result;
      expect(script.stderr).toBe('error: cannot write the results to stdout: no space left on device (ENOSPC)\n');
    } finally {
      closeSync(full);
    }
    expect(leftBehind()).toEqual([]);
  });

  it('names the file when .output goes to a full disk, and stops the script there', async () => {
    const { code, stdout, stderr } = await startCli(['--demo', '--format', 'csv'], { env, input: ".output /dev/full\nSELECT 1;\n.output\nSELECT 'never' AS step;\n" }).result;
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe('error: stdin line 2: cannot write /dev/full: no space left on device (ENOSPC).\n');
  });
});

describe('a signal while a statement runs', () => {
  // The first statement's trace summary shows the demo (stand-in, worker, cache) is fully up; the
  // second runs until the signal comes.
  const SCRIPT = "SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm';\nWITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n;\n";

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} ends ghsql without a stack trace, and nothing was ever written to disk`, async () => {
      const running = startCli(['--demo', '--trace'], { env, input: SCRIPT });
      await running.stderrShows('1 request, 0 not modified');
      // The demo keeps its cached answers in memory: no directory to remove on any way out.
      expect(leftBehind()).toEqual([]);
      running.child.kill(signal);
      const { code, signal: ended, stderr } = await running.result;
      expect({ code, ended }).toEqual({ code: null, ended: signal });
      expect(stderr).not.toMatch(STACK_TRACE);
      expect(leftBehind()).toEqual([]);
    });
  }
});
