import { messageOf, tables as ghsqlTables } from '../index.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Wording } from '../index.js';
import { FORMAT_NAMES, isFormatName } from './formats/index.js';
import type { SessionOptions } from './session.js';
import { COLOR_MODES, type ColorMode } from './terminal.js';

/** Messages name the flags that would help, not register()'s options. */
export const CLI_WORDING: Wording = {
  timeout: '--timeout',
  maxWait: '--max-wait',
  allowWrites: '--allow-writes',
  dryRun: '--dry-run',
  demo: 'ghsql --demo',
  noCache: '--no-cache',
  interrupt: 'Ctrl-C',
  statementTimeout: '--statement-timeout',
  registryUrl: '--registry-url',
};

/** Every table with its required parameters, and every action with its arguments: from the resources. */
function tablesAndActions(): string {
  const tables = ghsqlTables.map(({ name, requiredParameters }) => `  ${name}${requiredParameters.length ? ` (needs ${requiredParameters.join(', ')})` : ''}`);
  const actions = ghsqlTables.flatMap((table) => table.actions.map(({ signature }) => `  ${signature}`));
  return `Tables:\n${tables.join('\n')}\n  ghsql_actions (what the actions did)\n  ghsql_audit (with --db FILE: every action, kept in FILE)\n\nActions (with --allow-writes or --dry-run):\n${actions.join('\n')}\n`;
}

export const USAGE = `Usage: ghsql [options] ["SQL"]

Query GitHub's REST API with SQL (.schema TABLE describes a table's columns).

${tablesAndActions()}

  ghsql                        open the SQL shell (stdin a terminal); .help lists its commands
  ghsql "SQL; SQL"             run statements (or a dot-command), print the results
  ghsql -f report.sql          run a file of them (the sql/ folder has ready reports)
  ghsql < report.sql           read them from stdin
  ghsql -- "SQL"               everything after -- is the statement (one that begins with a -- comment)

  ghsql --demo "SELECT name, visibility FROM auth_user_packages WHERE package_type = 'container'"

Options:
  --demo               run against the built-in GitHub stand-in (offline, no token needed); each
                       run starts afresh, unless with --db FILE: then FILE.demo-state keeps
                       its changes (deletes, restores, untags) for the next run
  --db FILE            open your SQLite file (created if missing) so its tables join with GitHub's;
                       CREATE TABLE t AS SELECT … saves a snapshot in it; with --allow-writes
                       or --dry-run, its table ghsql_audit keeps every action for good
  -f, --file FILE      run the statements in FILE
  --format MODE        ${FORMAT_NAMES.join(', ')} (default table;
                       bar draws the last column, a number, as bars; html writes a page:
                       the table, and a chart when the first column labels numbers)
  --json               same as --format json
  --no-headers         leave out the column names (table, csv, bar)
  --color WHEN         auto (a terminal, unless NO_COLOR; always with FORCE_COLOR), always, never
  --width N            fit tables and bars to N columns (default: the terminal's; 0: never cut)
  --progress           a progress line on stderr even off a terminal (a log, a notebook's !ghsql)
  --no-progress        no progress line, even on a terminal
  --trace              print each HTTP request, and a summary after each statement
  --timer              print how long each statement took
  --api-url URL        GitHub API base URL (default: GITHUB_API_URL or https://api.github.com)
  --registry-url URL   container registry base URL, for the image graph and the delete guard
                       (default: GHSQL_REGISTRY_URL, or ghcr.io / containers.HOST for the API URL)
  --registry-user NAME the user name given with the token to the registry (default: GITHUB_ACTOR,
                       else the package's owner; ghcr.io accepts any)
  --no-cache           do not keep or reuse responses (default: kept with their ETags, and
                       revalidated, in $XDG_CACHE_HOME/ghsql or ~/.cache/ghsql)
  --cache-ttl SECONDS  reuse a cached response this long without asking GitHub (default 60;
                       0 revalidates every time, which costs no rate limit when unchanged)
  --concurrency N      pages loaded ahead while reading a list (default 4; 1 = one at a time)
  --max-wait SECONDS   longest wait for a rate limit before failing (default 60)
  --timeout SECONDS    per-request timeout (default 30)
  --statement-timeout SECONDS
                       stop a statement that takes longer than this in all (default: no limit)
  --allow-writes       enable the ${ghsqlTables.reduce((count, table) => count + table.actions.length, 0)} actions listed under Actions (SQL functions that change GitHub)
  -p, --param NAME VALUE
                       bind :NAME in the statements and -f files (repeatable; a number binds as one)
  --write-interval SECONDS
                       spacing between writes (default 1, as GitHub asks; 0 with --demo)
  --dry-run            actions do every read and check the real run would, and answer
                       "would delete" or "would refuse: …", sending no write
  --keep-going         an action refused for one target (a kept image needs it, the last
                       version, GitHub's download rule) becomes that row's "refused: …" and the
                       statement goes on; exit code 3 says some were refused
  -h, --help           show this help
  -v, --version        show the version

Token: GITHUB_TOKEN, then GH_TOKEN (for another host than github.com: GH_ENTERPRISE_TOKEN, then
GITHUB_ENTERPRISE_TOKEN), then \`gh auth token --hostname HOST\` (a classic token with read:packages).
`;

const DEFAULT_CACHE_TTL_SECONDS = 60;

export interface CliOptions {
  /** Statements given as the argument. */
  sql?: string;
  /** -f FILE */
  file?: string;
  database?: string;
  demo: boolean;
  settings: SessionOptions['settings'];
  params: Params;
  client: SessionOptions['client'];
  display: SessionOptions['display'];
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

const OPTIONS = {
  demo: { type: 'boolean', default: false },
  db: { type: 'string' },
  file: { type: 'string', short: 'f' },
  format: { type: 'string' },
  json: { type: 'boolean', default: false },
  'no-headers': { type: 'boolean', default: false },
  color: { type: 'string' },
  width: { type: 'string' },
  progress: { type: 'boolean', default: false },
  'no-progress': { type: 'boolean', default: false },
  trace: { type: 'boolean', default: false },
  timer: { type: 'boolean', default: false },
  'api-url': { type: 'string' },
  'registry-url': { type: 'string' },
  'registry-user': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  'cache-ttl': { type: 'string' },
  concurrency: { type: 'string' },
  'max-wait': { type: 'string' },
  timeout: { type: 'string' },
  'statement-timeout': { type: 'string' },
  'allow-writes': { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  'write-interval': { type: 'string' },
  'keep-going': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
} as const;

/** Flags that take the next argument as their value. */
const TAKES_VALUE = new Set(
  Object.entries(OPTIONS).flatMap(([name, option]) => (option.type === 'string' ? [`--${name}`, ...('short' in option ? [`-${option.short}`] : [])] : [])),
);

/** The statement parameters `-p NAME VALUE` / `--param NAME VALUE` bind (`:NAME`, `@NAME`, `$NAME`). */
export type Params = Record<string, string | number | bigint>;

/**
 * Takes the two-value `-p NAME VALUE` flags out of argv (parseArgs knows only one value per flag).
 * A value written as a number binds as one, as sqlite3's `.parameter set` does: `-p keep 5` compares
 * with an INTEGER column as 5, not as the text '5' (which SQLite sorts after every number).
 */
function takeParams(argv: string[]): { rest: string[]; params: Params } {
  const rest: string[] = [];
  const params: Params = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const isValue = i > 0 && TAKES_VALUE.has(argv[i - 1]!);
    if (isValue || (arg !== '-p' && arg !== '--param')) {
      rest.push(arg);
      continue;
    }
    const name = argv[i + 1];
    const value = argv[i + 2];
    if (name === undefined || value === undefined) throw new UsageError(`${arg} takes a name and a value: ${arg} keep 5 binds :keep in the statements.`);
    const bare = name.replace(/^[:@$]/, '');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(bare)) throw new UsageError(`${arg} ${JSON.stringify(name)}: a parameter name is letters, digits and _ (bound as :name in the SQL).`);
    params[bare] = /^-?(0|[1-9]\d{0,17})$/.test(value) ? BigInt(value) : /^-?(0|[1-9]\d*)\.\d+$/.test(value) ? Number(value) : value;
    i += 2;
  }
  return { rest, params };
}

/**
 * A statement that begins with a `--` comment looks like a flag to parseArgs ("Unknown option"). No
 * flag has blanks in its name, so an argument that starts with `--` and has a blank (or line break)
 * before any `=` is SQL; it is moved behind a `--`, where parseArgs takes everything as positional.
 * The value of a flag (`--db "--odd name"`) stays where it is.
 */
function statementsBehindTerminator(argv: string[]): string[] {
  const flags: string[] = [];
  const statements: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      statements.push(...argv.slice(i + 1));
      break;
    }
    const isValue = i > 0 && TAKES_VALUE.has(argv[i - 1]!);
    if (!isValue && /^--[^=]*\s/.test(arg)) statements.push(arg);
    else flags.push(arg);
  }
  return statements.length === 0 ? flags : [...flags, '--', ...statements];
}

export function parseCliArguments(argv: string[]): CliOptions {
  const { rest, params } = takeParams(argv);
  let parsed;
  try {
    parsed = parseArgs({ args: statementsBehindTerminator(rest), allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(`${messageOf(error)}; ghsql --help lists the options.`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`give the SQL as one argument (quote it); got ${positionals.length}.`);
  if (positionals.length === 1 && values.file !== undefined) throw new UsageError('give either statements as an argument or -f FILE, not both.');
  for (const flag of ['api-url', 'registry-url', 'registry-user'] as const) {
    if (values.demo && values[flag] !== undefined) throw new UsageError(`--demo runs against the built-in stand-in, so --${flag} does not apply; give one of them.`);
  }
  if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError(`--json and --format ${values.format} disagree; give one.`);
  const format = values.json ? 'json' : (values.format ?? 'table');
  if (!isFormatName(format)) throw new UsageError(`--format ${format} is not a format; use one of ${FORMAT_NAMES.join(', ')}.`);
  const whole = (flag: string, text: string | undefined, minimum: number) => (text === undefined ? undefined : wholeNumber(flag, text, minimum));
  const color = values.color ?? 'auto';
  if (!isColorMode(color)) throw new UsageError(`--color ${color} is not a choice; use one of ${COLOR_MODES.join(', ')}.`);
  if (values.progress && values['no-progress']) throw new UsageError('--progress and --no-progress disagree; give one.');
  return {
    sql: positionals[0],
    file: values.file,
    database: values.db,
    demo: values.demo,
    settings: { format, headers: !values['no-headers'], timer: values.timer, trace: values.trace },
    params,
    client: {
      apiUrl: values['api-url'],
      registryUrl: values['registry-url'],
      registryUser: values['registry-user'],
      cache: !values['no-cache'],
      cacheTtlSeconds: whole('--cache-ttl', values['cache-ttl'], 0) ?? DEFAULT_CACHE_TTL_SECONDS,
      concurrency: whole('--concurrency', values.concurrency, 1),
      maxWaitMs: toMs(whole('--max-wait', values['max-wait'], 0)),
      timeoutMs: toMs(whole('--timeout', values.timeout, 1)),
      writeIntervalMs: toMs(whole('--write-interval', values['write-interval'], 0)),
      statementTimeoutMs: toMs(whole('--statement-timeout', values['statement-timeout'], 1)),
      // A dry run changes nothing, so it needs no --allow-writes.
      allowWrites: values['allow-writes'] || values['dry-run'],
      dryRun: values['dry-run'],
      keepGoing: values['keep-going'],
      demo: values.demo,
      ...(values.demo && values.db !== undefined && values.db !== ':memory:' ? { demoStateFile: demoStateFile(values.db) } : {}),
    },
    display: {
      color,
      width: whole('--width', values.width, 0),
      progress: values.progress ? 'always' : values['no-progress'] ? 'never' : 'auto',
    },
    help: values.help,
    version: values.version,
  };
}

export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return version;
}

function isColorMode(text: string): text is ColorMode {
  return (COLOR_MODES as readonly string[]).includes(text);
}

/** Where `--demo --db FILE` keeps the demo's state: beside FILE, so that FILE stays the user's own SQLite file. */
export function demoStateFile(database: string): string {
  return `${database}.demo-state`;
}

function toMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function wholeNumber(flag: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new UsageError(`${flag} takes a whole number of at least ${minimum}, not ${JSON.stringify(text)}.`);
  return value;
}
