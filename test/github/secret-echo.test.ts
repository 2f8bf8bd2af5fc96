// A server that echoes what it was sent, in every encoding it could work out, into its error bodies
// (echo/echoing-proxy.mjs): the GitHub token and a restore's package token. Neither may reach any output of ghsql, in any encoding:
// the library's errors and their causes, onTrace, onAction, ghsql_actions, ghsql_audit, the cache;
// the CLI's stdout and stderr with --trace, and every file it leaves (cache, audit, history).

import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, type ActionRecord, type TraceEvent } from '../../dist/index.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { carriesSecret } from '../support/secret-encodings.js';
import { runCli, tempHome, type TempHome } from '../cli/helpers.js';
import { causeChain } from './helpers.js';

/** Joined at run time so that secret scanners do not take these fakes for real tokens. */
const TOKEN = ['ghp', 'EchoCanary0123456789abcdefghijklmnopq'].join('_');
const RESTORE_TOKEN = ['pkg', 'RestoreCanary-9876543210/+=zyx'].join('_');
const FULL_GRANT = { scopes: ['read:packages', 'write:packages', 'delete:packages', 'repo'] };

const SECRETS = [TOKEN, RESTORE_TOKEN];
const leaked = (text: string) => SECRETS.filter((secret) => carriesSecret(text, secret));

/** Which requests the echoing proxy (echo/echoing-proxy.mjs) answers with an echoing error of its own. */
interface Echoing {
  /** The API list GET /user/packages, besides every restore and the token realm. */
  apiList: boolean;
}

async function echoingProxy(upstream: string, echoing: Echoing): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(new URL('./echo/echoing-proxy.mjs', import.meta.url), { workerData: { upstream, ...echoing } });
  const { url } = await new Promise<{ url: string }>((resolve) => worker.once('message', resolve));
  return { url, close: async () => void (await worker.terminate()) };
}

/** Every file under `dir`, as text (latin1 keeps every byte). */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

const LIST = "SELECT count(*) FROM auth_user_packages WHERE package_type = 'container'";
const MANIFESTS = "SELECT count(*) FROM auth_user_container_manifests WHERE package_name = 'acme/app'";
const RESTORE = `SELECT restore_package_for_authenticated_user('npm', 'utils', '${RESTORE_TOKEN}')`;

const CASES: Array<[string, string, Echoing]> = [
  ['an API error that echoes the request', LIST, { apiList: true }],
  ["a token realm's error that echoes the basic auth", MANIFESTS, { apiList: false }],
  ["a restore's error that echoes the URL", RESTORE, { apiList: false }],
];

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn({ tokens: { [TOKEN]: FULL_GRANT } });
});
afterAll(() => standIn.close());

describe('a secret echoed back by a server, in any encoding', () => {
  it('is echoed by the test server (the test can see a leak at all)', async () => {
    const proxy = await echoingProxy(standIn.url, { apiList: false });
    try {
      const response = await fetch(`${proxy.url}/user/packages/npm/utils/restore?token=${encodeURIComponent(RESTORE_TOKEN)}`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`octocat:${TOKEN}`).toString('base64')}` },
      });
      expect(leaked(await response.text())).toEqual(SECRETS);
    } finally {
      await proxy.close();
    }
  });

  describe.each(CASES)('%s', (_, sql, echoing) => {
    let proxy: Awaited<ReturnType<typeof echoingProxy>>;
    let dir: string;
    beforeAll(async () => {
      proxy = await echoingProxy(standIn.url, echoing);
      dir = mkdtempSync(join(tmpdir(), 'ghsql-secret-echo-'));
    });
    afterAll(async () => {
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reaches no output of the library: the error and its causes, onTrace, onAction, ghsql_actions, ghsql_audit, the cache', async () => {
      const db = new Database(join(dir, 'library.db'));
      const traces: TraceEvent[] = [];
      const actions: ActionRecord[] = [];
      const registration = register(db, {
        token: TOKEN,
        apiUrl: proxy.url,
        registryUrl: proxy.url,
        allowWrites: true,
        maxRetries: 0,
        writeIntervalMs: 0,
        cacheDir: join(dir, 'library-cache'),
        onTrace: (event) => traces.push(event),
        onAction: (record) => actions.push({ ...record }),
      });
      let error: unknown;
      try {
        db.prepare(sql).all();
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(Error);
      const logged = db.prepare('SELECT * FROM ghsql_actions').all();
      await registration.close();
      db.close();
      const outputs = {
        errors: causeChain(error).flatMap((link) => [(link as Error).message, (link as Error).stack ?? '', String(link), JSON.stringify(link)]).join('\n'),
        traces: JSON.stringify(traces),
        actions: JSON.stringify(actions),
        ghsql_actions: JSON.stringify(logged),
        ...Object.fromEntries(filesUnder(dir).map(({ path, text }) => [path, text])),
      };
      expect(Object.entries(outputs).filter(([, text]) => leaked(text).length > 0)).toEqual([]);
      if (sql === RESTORE) {
        expect(actions).toHaveLength(1);
        expect(actions[0]!.outcome).toMatch(/\[REDACTED\]/);
        const [audited] = new Database(join(dir, 'library.db'), { readonly: true }).prepare('SELECT outcome FROM ghsql_audit').all() as Array<{ outcome: string }>;
        expect(audited?.outcome).toMatch(/^failed: .*\[REDACTED\]/);
      }
      // The message still says what the server said, without the secrets.
      expect((error as Error).message).toMatch(/you sent .*\[REDACTED\]/);
    });

    it('reaches no output of the CLI: stdout, stderr with --trace, the audit, the cache, the history', async () => {
      const home: TempHome = tempHome();
      try {
        const database = join(home.dir, 'cli.db');
        const script = `${sql};\nSELECT * FROM ghsql_actions;\n`;
        const run = await runCli(['--api-url', proxy.url, '--registry-url', proxy.url, '--allow-writes', '--keep-going', '--trace', '--db', database, '--write-interval', '0'], {
          env: { ...home.env, GITHUB_TOKEN: TOKEN },
          input: script,
        });
        expect(run.stderr).toMatch(/you sent .*\[REDACTED\]/);
        const outputs = { stdout: run.stdout, stderr: run.stderr, ...Object.fromEntries(filesUnder(home.dir).map(({ path, text }) => [path, text])) };
        expect(Object.entries(outputs).filter(([, text]) => leaked(text).length > 0).map(([name]) => name)).toEqual([]);
      } finally {
        home.remove();
      }
    });
  });
});
