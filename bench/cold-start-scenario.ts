// Scenario 6: how long `ghsql "SELECT 1"` takes from spawn to exit, with and without the built-in
// stand-in that --demo starts, next to a bare `node` that does nothing.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { check, countRange, median, timed } from './measure.js';
import { milliseconds, type ResultRow } from './report.js';
import { startStandInProcess, withRequests } from './stand-in-process.js';

const MAX_CLI_MS = 400;
const runFile = promisify(execFile);
const cliPath = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Wall time from spawn to exit of `node ...args`, checking that it succeeded. */
async function spawnTime(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { ms, value } = await timed(() => runFile(process.execPath, args, { env }));
  check(value.stderr === '', `node ${args.join(' ')} wrote to stderr: ${value.stderr}`);
  return ms;
}

export async function coldStartScenario(runs: number): Promise<ResultRow[]> {
  const standIn = await startStandInProcess({ catalogue: [], switches: {} });
  // The CLI's cache directory, so that the runs touch nothing of the user's.
  const cacheHome = mkdtempSync(join(tmpdir(), 'ghsql-bench-xdg-'));
  const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
  const withoutServer = { ...env, GITHUB_TOKEN: standIn.token };
  const bareMs: number[] = [];
  const demoMs: number[] = [];
  const cliMs: number[] = [];
  const cliRequests: number[] = [];
  try {
    for (let run = 0; run < runs; run++) {
      bareMs.push(await spawnTime(['-e', ''], env));
      demoMs.push(await spawnTime([cliPath, '--demo', 'SELECT 1'], env));
      const cli = await withRequests(standIn, () => spawnTime([cliPath, '--api-url', standIn.url, 'SELECT 1'], withoutServer));
      cliMs.push(cli.value);
      cliRequests.push(cli.requests.length);
    }
  } finally {
    await standIn.close();
    rmSync(cacheHome, { recursive: true, force: true });
  }
  const bare = median(bareMs);
  const demo = median(demoMs);
  const cli = median(cliMs);
  return [
    {
      scenario: '6. cold start: ghsql --demo "SELECT 1", vs bare node -e ""',
      ghsql: milliseconds(demo),
      baseline: milliseconds(bare),
      ratio: demo / bare,
      requests: '—',
      bar: 'reported',
    },
    {
      scenario: '6. cold start without the built-in server (--api-url), vs bare node',
      ghsql: milliseconds(cli),
      baseline: milliseconds(bare),
      ratio: cli / bare,
      requests: countRange(cliRequests),
      bar: `< ${MAX_CLI_MS} ms`,
      pass: cli < MAX_CLI_MS,
    },
  ];
}
