import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhsqlError, register } from '../dist/index.js';
import { startStandIn, type StandIn } from '../dist/stand-in/thread.js';

const run = promisify(execFile);
const indexUrl = new URL('../dist/index.js', import.meta.url).href;

/** The README's plain-script example, against the stand-in. */
const script = (closeAtEnd: boolean) => `
  import Database from 'better-sqlite3';
  import { register } from ${JSON.stringify(indexUrl)};
  const db = new Database(':memory:');
  const ghsql = register(db, { token: process.env.GITHUB_TOKEN, apiUrl: process.env.GITHUB_API_URL, cache: false });
  db.exec("CREATE TABLE retiring(type TEXT, name TEXT); INSERT INTO retiring VALUES ('container', 'acme/worker')");
  const rows = db.prepare(\`SELECT r.name, p.visibility FROM retiring r
    JOIN auth_user_packages p ON p.package_type = r.type AND p.package_name = r.name\`).all();
  console.log(JSON.stringify(rows));
  ${closeAtEnd ? 'await ghsql.close();' : ''}
`;

describe('register(db) as a library', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it.each([true, false])('runs the README script, which exits by itself (close() at the end: %s)', async (closeAtEnd) => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(closeAtEnd)], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, GITHUB_TOKEN: standIn.token, GITHUB_API_URL: standIn.url },
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual([{ name: 'acme/worker', visibility: 'private' }]);
  });

  it('refuses to register twice on one database, and fails queries after close()', async () => {
    const db = new Database(':memory:');
    const ghsql = register(db, { token: standIn.token, apiUrl: standIn.url, cache: false });
    expect(() => register(db)).toThrow(GhsqlError);
    await ghsql.close();
    expect(() => db.prepare("SELECT * FROM auth_user_packages WHERE package_type = 'npm'").all()).toThrow(/closed/);
    db.close();
  });
});
