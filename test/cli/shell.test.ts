import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { tempHome, type TempHome } from './helpers.js';
import { Terminal, visible } from './pseudo-terminal.js';

const PROMPT = 'ghsql> ';
const CONTINUATION = '...> ';
const ENTER = '\r';
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const UP = '\x1b[A';
const SGR = /\x1b\[[0-9;]*m/;

let home: TempHome;
const terminals: Terminal[] = [];

/** Types one line and waits for the next prompt; returns what was shown meanwhile. */
function enter(shell: Terminal, line: string): Promise<string> {
  shell.type(`${line}${ENTER}`);
  return shell.waitFor(PROMPT);
}

function open(args: string[], env: NodeJS.ProcessEnv = home.env, size?: { columns: number; rows: number }): Terminal {
  const terminal = new Terminal(args, env, size);
  terminals.push(terminal);
  return terminal;
}

beforeAll(() => {
  home = tempHome();
});
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.kill();
});
afterAll(() => home.remove());

describe('the interactive shell, in a pseudo-terminal', () => {
  it('runs a statement typed over several lines, draws a box with NULL, and leaves on Ctrl-D', async () => {
    const shell = open(['--demo']);
    await shell.waitFor(PROMPT);
    shell.type(`SELECT 1 AS a,${ENTER}`);
    await shell.waitFor(CONTINUATION);
    shell.type(`NULL AS b;${ENTER}`);
    const result = await shell.waitFor('(1 row)');
    expect(result).toContain('┌───┬──────┐');
    expect(result).toContain('│ 1 │ NULL │');
    await shell.waitFor(PROMPT);
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);
  });

  it('drops the statement being typed on Ctrl-C and keeps running', async () => {
    const shell = open(['--demo']);
    await shell.waitFor(PROMPT);
    shell.type(`SELECT 'dropped' AS first_line,${ENTER}`);
    await shell.waitFor(CONTINUATION);
    shell.type("'half a line'");
    await shell.waitFor("'half a line'");
    shell.type(CTRL_C);
    await shell.waitFor('^C');
    await shell.waitFor(PROMPT);
    shell.type(`SELECT 'kept' AS answer;${ENTER}`);
    const result = await shell.waitFor('(1 row)');
    expect(result).toContain('│ answer │');
    expect(result).not.toContain('first_line');
    expect(result).not.toContain('half a line');
    shell.type(`.quit${ENTER}`);
    expect(await shell.exitCode).toBe(0);
  });

  it('keeps its history in XDG_STATE_HOME for the next session', async () => {
    const first = open(['--demo']);
    await first.waitFor(PROMPT);
    first.type(`SELECT 40 + 2 AS answer;${ENTER}`);
    await first.waitFor('42');
    await first.waitFor(PROMPT);
    first.type(CTRL_D);
    expect(await first.exitCode).toBe(0);

    const file = join(home.dir, 'state', 'ghsql', 'history');
    expect(readFileSync(file, 'utf8')).toContain('SELECT 40 + 2 AS answer;\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = open(['--demo']);
    await second.waitFor(PROMPT);
    second.type(UP);
    await second.waitFor('SELECT 40 + 2 AS answer;');
    second.type(ENTER);
    await second.waitFor('│     42 │');
    second.type(CTRL_D);
    expect(await second.exitCode).toBe(0);
  });

  it('makes an older history file readable by the user only', async () => {
    const state = join(home.dir, 'state-shared');
    const file = join(state, 'ghsql', 'history');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'SELECT 1;\n', { mode: 0o644 });
    chmodSync(file, 0o644); // whatever the umask
    const shell = open(['--demo'], { ...home.env, XDG_STATE_HOME: state });
    await shell.waitFor(PROMPT);
    await enter(shell, 'SELECT 2;');
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('SELECT 1;\nSELECT 2;\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps package tokens out of its history, in the file and on the arrow keys, and out of column names', async () => {
    const env = { ...home.env, XDG_STATE_HOME: join(home.dir, 'state-with-secrets') };
    const restore = "SELECT restore_package_for_authenticated_user('npm', 'lib',";
    const shell = open(['--demo', '--dry-run'], env);
    await shell.waitFor(PROMPT);
    shell.type(`${restore} 'ONE-LINE-TOKEN');${ENTER}`);
    await shell.waitFor("'ONE-LINE-TOKEN');"); // the terminal echoes what is typed
    const result = await shell.waitFor(PROMPT);
    expect(result).toContain("restore_package_for_authenticated_user('npm', 'lib', '[REDACTED]')");
    expect(result).toContain('would restore');

    // The token on a later line than the call, and a statement dropped with Ctrl-C.
    shell.type(`${restore}${ENTER}`);
    await shell.waitFor(CONTINUATION);
    shell.type(`'TWO-LINE-TOKEN');${ENTER}`);
    await shell.waitFor('would restore');
    await shell.waitFor(PROMPT);
    shell.type(`${restore}${ENTER}`);
    await shell.waitFor(CONTINUATION);
    shell.type(`'DROPPED-TOKEN'${ENTER}`);
    await shell.waitFor(CONTINUATION);
    shell.type(CTRL_C);
    await shell.waitFor(PROMPT);

    // Newest first: the dropped statement's two lines, the two-line one's, then the one-line statement.
    shell.type(UP.repeat(5));
    const recalled = await shell.waitFor("'lib', '[REDACTED]');");
    expect(recalled).not.toMatch(/ONE-LINE-TOKEN|TWO-LINE-TOKEN|DROPPED-TOKEN/);
    shell.type(CTRL_C);
    await shell.waitFor(PROMPT);
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);

    const file = join(home.dir, 'state-with-secrets', 'ghsql', 'history');
    expect(readFileSync(file, 'utf8')).toBe(
      [`${restore} '[REDACTED]');`, restore, "'[REDACTED]');", restore, "'[REDACTED]'", ''].join('\n'),
    );
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('runs dot-commands: .tables, .schema, .mode, .headers, .timer, .trace, .output', async () => {
    const shell = open(['--demo']);
    await shell.waitFor(PROMPT);
    expect(await enter(shell, '.tables')).toMatch(/auth_user_packages\s+auth_user_package_versions\s+org_packages[\s\S]*user_docker_conflicts\s+auth_user_container_manifests[\s\S]*user_container_links\s+user_container_blobs\s+ghsql_rate_limit\s+ghsql_actions/);

    const schema = await enter(shell, '.schema auth_user_packages');
    expect(schema).toMatch(/package_type\s+TEXT\s+required/);
    expect(schema).toMatch(/package_name\s+TEXT\s+optional/);
    expect(schema).toContain('The number of versions of the package.');

    await enter(shell, '.mode ndjson');
    const nested = await enter(shell, "SELECT name, owner FROM auth_user_packages WHERE package_type = 'npm' AND package_name = 'utils';");
    expect(nested).toContain('{"name":"utils","owner":{"login":"octo-demo"');

    for (const line of ['.mode table', '.headers off', '.timer on', '.trace on']) await enter(shell, line);
    const traced = await enter(shell, "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type = 'container';");
    expect(traced).toMatch(/GET \/user\/packages\?package_type=container&per_page=100 200 \d+ ms/);
    expect(traced).toMatch(/1 request, 0 not modified \(304\), 0 cache hits/);
    expect(traced).toMatch(/Run Time: \d+\.\d{3} s/);
    expect(traced).toContain('│ 14 │');
    expect(traced).not.toContain('packages │');

    const file = join(home.dir, 'shell-output.csv');
    for (const line of ['.mode csv', '.headers on', '.trace off', '.timer off', `.output ${file}`]) await enter(shell, line);
    expect(await enter(shell, "SELECT 'to the file' AS note;")).not.toContain('to the file\n');
    await enter(shell, '.output');
    expect(readFileSync(file, 'utf8')).toBe('note\r\nto the file\r\n');
    shell.type(`.quit${ENTER}`);
    expect(await shell.exitCode).toBe(0);
  });

  it('reports an error and carries on', async () => {
    const shell = open(['--demo']);
    await shell.waitFor(PROMPT);
    shell.type(`SELECT * FROM auth_user_packages;${ENTER}`);
    expect(await shell.waitFor(PROMPT)).toContain('error: auth_user_packages needs package_type in the WHERE clause');
    shell.type(`.mode xml${ENTER}`);
    expect(await shell.waitFor(PROMPT)).toContain('error: .mode xml is not a mode; use one of table, json, ndjson, csv, markdown, line, bar, html.');
    shell.type(`SELECT 'still here' AS status;${ENTER}`);
    expect(await shell.waitFor(PROMPT)).toContain('still here');
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);
  });
});

describe('output on a terminal', () => {
  it('cuts wide values to the terminal width', async () => {
    const columns = 60;
    const terminal = open(['--demo', "SELECT name, html_url, owner FROM auth_user_packages WHERE package_type = 'container'"], home.env, { columns, rows: 40 });
    expect(await terminal.exitCode).toBe(0);
    const lines = visible(terminal.raw).text.split('\n').filter((line) => /^[┌│├└]/.test(line));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
    expect(lines.some((line) => line.includes('…'))).toBe(true);
  });

  it('shows control characters in values escaped, so they cannot clear the screen', async () => {
    const terminal = open(['--demo', "SELECT char(27) || '[2J' || char(27) || '[Hcleared' AS value"]);
    expect(await terminal.exitCode).toBe(0);
    expect(terminal.raw).toContain('\\x1b[2J\\x1b[Hcleared');
    expect(terminal.raw).not.toContain('\x1b[2J');
  });

  it('uses colour on a terminal, and none when NO_COLOR is set', async () => {
    const coloured = open(['--demo', 'SELECT NULL AS missing']);
    expect(await coloured.exitCode).toBe(0);
    expect(coloured.raw).toContain('\x1b[2mNULL');

    const plain = open(['--demo', 'SELECT NULL AS missing'], { ...home.env, NO_COLOR: '1' });
    expect(await plain.exitCode).toBe(0);
    expect(plain.raw).toContain('NULL');
    expect(plain.raw).not.toMatch(SGR);
  });
});

describe('the progress line', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(450, 'npm') });
  });
  afterAll(() => standIn.close());

  it('counts pages and rows on a terminal while a list loads', async () => {
    const env = { ...home.env, GITHUB_TOKEN: standIn.token };
    const terminal = open(['--api-url', standIn.url, '--no-cache', "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type = 'npm'"], env);
    expect(await terminal.exitCode).toBe(0);
    const { text } = visible(terminal.raw);
    // The total comes from the first page's rel="last" link.
    expect(text).toMatch(/1 of 5 pages, 100 rows so far/);
    expect(text).toMatch(/5 pages, 450 rows so far/);
    expect(text).toContain('│      450 │');
  });
});

describe('Ctrl-C while a statement runs', () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startStandIn({ packages: generatedPackages(450, 'npm') });
  });
  afterEach(() => standIn.configure({ latencyMs: 0, rateLimit: { limit: 5000, remaining: 5000, resetSeconds: 3600 } }));
  afterAll(() => standIn.close());

  const openOn = (args: string[] = []) => open(['--api-url', standIn.url, '--no-cache', ...args], { ...home.env, GITHUB_TOKEN: standIn.token });
  const COUNT = "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type = 'npm';";

  it('stops a statement waiting for a slow GitHub, keeps what was typed meanwhile, and the next statement runs', async () => {
    // Far longer than the test may take: only Ctrl-C can end this statement.
    await standIn.configure({ latencyMs: 600_000 });
    const shell = openOn();
    await shell.waitFor(PROMPT);
    shell.type(`${COUNT} SELECT 'not run' AS second;${ENTER}`);
    // Drawn while the statement waits for its first page, so the Ctrl-C below reaches a running statement.
    await shell.waitFor('waiting for GitHub (Ctrl-C stops)');
    shell.type(`SELECT 'typed ahead' AS third;${ENTER}`);
    shell.type(CTRL_C);
    const stopped = await shell.waitFor(PROMPT);
    expect(stopped).toContain('error: interrupted by Ctrl-C: the statement was stopped and its requests to GitHub cancelled.');
    expect(stopped).toContain('interrupted: the 1 statement after it on this line did not run.');
    // What was typed during the statement reaches the shell afterwards, as typed.
    const typedAhead = await shell.waitFor('(1 row)');
    expect(typedAhead).toContain("SELECT 'typed ahead' AS third;");
    expect(typedAhead).toContain('│ typed ahead │');
    expect(shell.raw).not.toContain('│ not run');

    // The registration and its worker are fine: the same query runs to its end once GitHub answers.
    await standIn.configure({ latencyMs: 0 });
    await shell.waitFor(PROMPT);
    shell.type(`${COUNT}${ENTER}`);
    expect(await shell.waitFor('(1 row)')).toContain('│      450 │');
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);
  });

  it('cuts a rate-limit wait short, after announcing it', async () => {
    await standIn.configure({ rateLimit: { limit: 5000, remaining: 0, resetSeconds: 3600 } });
    const shell = openOn(['--max-wait', '7200']);
    await shell.waitFor(PROMPT);
    shell.type(`${COUNT}${ENTER}`);
    await shell.waitFor(/waiting for GitHub's rate limit until \d\d:\d\d:\d\d \(Ctrl-C stops\)/);
    shell.type(CTRL_C);
    expect(await shell.waitFor(PROMPT)).toContain('error: interrupted by Ctrl-C');
    shell.type(CTRL_D);
    expect(await shell.exitCode).toBe(0);
  });

  it('says when a statement is busy inside SQLite, and a second Ctrl-C ends ghsql', async () => {
    const endless = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n;';
    const shell = openOn();
    await shell.waitFor(PROMPT);
    shell.type(endless);
    await shell.waitFor(endless);
    shell.type(ENTER);
    // The shell has read the Enter once it echoes the line's end; a key typed after it waits for the statement.
    await shell.waitFor('\n');
    shell.type(CTRL_C);
    await shell.waitFor('^C: the statement is busy inside SQLite, which cannot be interrupted; it stops when it next waits for GitHub. Ctrl-C again ends ghsql.');
    shell.type(CTRL_C);
    await shell.waitFor('ghsql: ending (Ctrl-C twice).');
    expect(await shell.exitCode).not.toBe(0);
  });
});
