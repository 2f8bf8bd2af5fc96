import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatResult } from '../../dist/cli/formats/index.js';
import { PLAIN } from '../../dist/cli/terminal.js';
import { generatedPackages } from '../../dist/stand-in/packages-data.js';
import { startStandIn, type StandIn } from '../../dist/stand-in/thread.js';
import { runCli, tempHome, type TempHome } from './helpers.js';
import { Terminal, visible } from './pseudo-terminal.js';

/** Output that fits where it lands: --color, --width, --progress, bar mode, and what a notebook's `!ghsql` shows. */
let home: TempHome;
let standIn: StandIn;
const terminals: Terminal[] = [];
beforeAll(async () => {
  home = tempHome();
  standIn = await startStandIn({ packages: generatedPackages(450, 'npm') });
});
afterEach(async () => {
  for (const terminal of terminals.splice(0)) terminal.kill();
  await standIn.configure({ latencyMs: 0 });
});
afterAll(async () => {
  await standIn.close();
  home.remove();
});

const ghsql = (args: string[], input?: string) => runCli(args, { env: home.env, input });
const onStandIn = (args: string[]) => runCli(['--api-url', standIn.url, '--no-cache', ...args], { env: { ...home.env, GITHUB_TOKEN: standIn.token } });
const inTerminal = (args: string[], env: NodeJS.ProcessEnv = home.env, size = { columns: 60, rows: 40 }) => {
  const terminal = new Terminal(args, env, size);
  terminals.push(terminal);
  return terminal;
};
const SGR = /\x1b\[[0-9;]*m/;
const column = (name: string) => ({ name, declaredType: null, json: false });
const BY_TYPE = `SELECT t.value AS package_type, count(p.id) AS packages
  FROM json_each('["npm", "maven", "rubygems", "docker", "nuget", "container"]') t
  JOIN auth_user_packages p ON p.package_type = t.value GROUP BY t.value ORDER BY packages DESC, package_type`;

describe('--color', () => {
  it('always colours, even into a pipe; never does not, even on a terminal', async () => {
    expect((await ghsql(['--demo', '--color', 'always', 'SELECT NULL AS missing'])).stdout).toContain('\x1b[2mNULL');
    const plain = inTerminal(['--demo', '--color', 'never', 'SELECT NULL AS missing']);
    expect(await plain.exitCode).toBe(0);
    expect(plain.raw).toContain('NULL');
    expect(plain.raw).not.toMatch(SGR);
  });

  it('auto colours when FORCE_COLOR asks (as a notebook kernel does), and NO_COLOR wins', async () => {
    expect((await runCli(['--demo', 'SELECT NULL AS missing'], { env: { ...home.env, FORCE_COLOR: '1' } })).stdout).toMatch(SGR);
    expect((await runCli(['--demo', 'SELECT NULL AS missing'], { env: { ...home.env, FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(SGR);
  });

  it('refuses a word it does not know', async () => {
    expect((await ghsql(['--color', 'sometimes', 'SELECT 1'])).stderr).toBe('error: --color sometimes is not a choice; use one of auto, always, never.\n');
  });
});

describe('--width', () => {
  it('cuts tables to N columns off a terminal too, and 0 never cuts on one', async () => {
    const sql = "SELECT name, html_url FROM auth_user_packages WHERE package_type = 'npm' LIMIT 3";
    const { stdout } = await ghsql(['--demo', '--width', '30', sql]);
    const lines = stdout.split('\n').filter((line) => /^[┌│├└]/.test(line));
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(30);
    expect(stdout).toContain('…');

    const uncut = inTerminal(['--demo', '--width', '0', sql], home.env, { columns: 40, rows: 40 });
    expect(await uncut.exitCode).toBe(0);
    expect(visible(uncut.raw).text).toContain('https://github.com/');
    expect(visible(uncut.raw).text).not.toContain('…');
  });
});

describe('bar mode', () => {
  it('draws the last column as bars, scaled to the largest and cut to the width', () => {
    const result = { columns: [column('package_type'), column('packages')], rows: [['container', 12n], ['npm', 9n], ['maven', 5n], ['docker', 0n], ['nuget', null]] };
    expect(formatResult('bar', result, { headers: true, width: 50, style: PLAIN })).toBe(
      [
        'package_type  packages',
        // 31 columns of bar: 50, less the label and its gap (14), a space and the widest value (NULL).
        'container     ███████████████████████████████ 12',
        'npm           ███████████████████████▎ 9',
        'maven         ████████████▉ 5',
        'docker        0',
        'nuget         NULL',
        '(5 rows)',
        '',
      ].join('\n'),
    );
    // Labels are cut before the bars get too short to say anything.
    const long = formatResult('bar', { columns: [column('name'), column('n')], rows: [['x'.repeat(100), 1n]] }, { headers: false, width: 40, style: PLAIN });
    expect(long).toMatch(/^x+… {2}█{10} 1\n/);
    expect([...long.split('\n')[0]!].length).toBeLessThanOrEqual(40);
  });

  it('is a --format of the CLI, fitting --width', async () => {
    const { code, stdout } = await ghsql(['--demo', '--format', 'bar', '--width', '50', BY_TYPE]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('package_type  packages');
    expect(lines.at(-1)).toBe('(6 rows)');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    // The largest value gets the whole bar: the first line (ORDER BY packages DESC) reaches the width.
    expect([...lines[1]!].length).toBe(50);
  });

  it('refuses a result whose last column is text, saying what to do', async () => {
    const { code, stderr } = await ghsql(['--demo', '--format', 'bar', "SELECT 1 AS n, 'x' AS label"]);
    expect(code).toBe(1);
    expect(stderr).toBe('error: bar mode draws the last column as bars, so it must hold numbers; "label" holds text ("x"). Put the number last, e.g. SELECT package_type, count(*) … GROUP BY package_type.\n');
  });

  it('is what .export FILE.txt writes; a result that cannot be drawn becomes a table', async () => {
    const chart = join(home.dir, 'by-type.txt');
    const table = join(home.dir, 'names.txt');
    const { code } = await ghsql(['--demo', '--width', '50'], `${BY_TYPE};\n.export ${chart}\nSELECT 'a' AS name;\n.export ${table}\n`);
    expect(code).toBe(0);
    expect(readFileSync(chart, 'utf8')).toMatch(/^package_type  packages\n\S+ +█+[▏▎▍▌▋▊▉]? \d+\n/);
    expect(readFileSync(table, 'utf8')).toContain('│ name │');
  });
});

describe('--progress', () => {
  it('writes one line on stderr off a terminal, with the total, kept at the end', async () => {
    const { code, stderr } = await onStandIn(['--progress', "SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'"]);
    expect(code).toBe(0);
    // Redrawn with carriage returns only; what a log shows in the end is the last count.
    expect(stderr).not.toMatch(/\x1b/);
    // A busy box may start the worker slower than the quarter-second heartbeat: "waiting" lines may come first.
    expect(stderr).toMatch(/^(\rwaiting for GitHub[^\r]*)*\r1 of 5 pages, 100 rows so far *\r/);
    expect(stderr).toMatch(/\r5 pages, 450 rows so far *\n$/); // spaces cover a longer line before it
  });

  it('counts the actions of a cleanup as they run, with the rate-limit budget they draw on', async () => {
    const own = await startStandIn({ packages: generatedPackages(2, 'npm') }); // deletes must not change the 450 the others count
    try {
      const names = generatedPackages(2, 'npm').map((item) => `('${item.name}')`).join(', ');
      const statement = `SELECT delete_package_for_authenticated_user('npm', column1) FROM (VALUES ${names})`;
      const { code, stderr } = await runCli(['--api-url', own.url, '--no-cache', '--progress', '--allow-writes', '--write-interval', '0', statement], {
        env: { ...home.env, GITHUB_TOKEN: own.token },
      });
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/\r1 action so far, [\d,]+ requests left until \d\d:\d\d:\d\d \(Ctrl-C stops\) *\r/);
      expect(stderr).toMatch(/\r2 actions so far, [\d,]+ requests left until \d\d:\d\d:\d\d \(Ctrl-C stops\) *\n/);
    } finally {
      await own.close();
    }
  });

  it('--no-progress leaves a terminal without one', async () => {
    const terminal = inTerminal(['--api-url', standIn.url, '--no-cache', '--no-progress', "SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'"], {
      ...home.env,
      GITHUB_TOKEN: standIn.token,
    });
    expect(await terminal.exitCode).toBe(0);
    expect(terminal.raw).not.toContain('rows so far');
    expect(visible(terminal.raw).text).toContain('│      450 │');
  });

  it('leaves nothing behind in a notebook running !ghsql (a pseudo-terminal it renders, honouring \\r but not erase sequences)', async () => {
    await standIn.configure({ latencyMs: 300 }); // slow enough for the heartbeat's "waiting for GitHub" too
    // What ipykernel sets for its subprocesses, and pexpect's 80 columns.
    const env = { ...home.env, GITHUB_TOKEN: standIn.token, TERM: 'xterm-color', FORCE_COLOR: '1', CLICOLOR: '1', PAGER: 'cat', JPY_PARENT_PID: '1' };
    const terminal = inTerminal(['--api-url', standIn.url, '--no-cache', '--concurrency', '1', "SELECT count(*) AS packages FROM auth_user_packages WHERE package_type = 'npm'"], env, {
      columns: 80,
      rows: 24,
    });
    expect(await terminal.exitCode).toBe(0);
    expect(terminal.raw).toContain('rows so far'); // the line was there while pages loaded
    // A notebook's stream output: on each line, what follows the last carriage return replaces it.
    const shown = terminal.raw
      .replace(/\r\n/g, '\n')
      .split('\n')
      .map((line) => line.slice(line.lastIndexOf('\r') + 1).replace(/\x1b\[[0-9;]*m/g, ''));
    expect(shown.filter((line) => line.trim() !== '')).toEqual(['┌──────────┐', '│ packages │', '├──────────┤', '│      450 │', '└──────────┘', '(1 row)']);
    // Colour it renders; cursor and erase sequences it would print as text.
    expect(terminal.raw.replace(/\x1b\[[0-9;]*m/g, '')).not.toContain('\x1b');
  });
});

describe('--statement-timeout', () => {
  it('stops a statement that takes too long, naming the flag', async () => {
    await standIn.configure({ latencyMs: 600_000 });
    const { code, stderr } = await onStandIn(['--statement-timeout', '1', "SELECT count(*) FROM auth_user_packages WHERE package_type = 'npm'"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: the statement took longer than --statement-timeout \(1,000 ms\) allows; it was stopped and its requests to GitHub cancelled\./);
  });
});

describe('statements that begin with a -- comment', () => {
  it('run as the argument, and after --, which --help shows', async () => {
    expect((await ghsql(['--demo', '--format', 'csv', '-- the answer\nSELECT 42 AS answer'])).stdout).toBe('answer\r\n42\r\n');
    expect((await ghsql(['--demo', '--format', 'csv', '--', 'SELECT 43 AS answer'])).stdout).toBe('answer\r\n43\r\n');
    // A flag's value that looks like one stays the flag's.
    expect((await ghsql(['--demo', '--file=-- no such file.sql'])).stderr).toBe('error: cannot read -- no such file.sql: ENOENT; check the file name.\n');
    expect((await ghsql(['--help'])).stdout).toContain('ghsql -- "SQL"');
  });
});
