import { parseArgs } from 'node:util';

export const USAGE = `Usage: ghsql [options] "SQL"

Query GitHub's REST API with SQL. Tables: auth_user_packages (your GitHub Packages).

  ghsql --demo "SELECT name, visibility FROM auth_user_packages WHERE package_type = 'container'"

Options:
  --demo               run against the built-in GitHub stand-in (offline, no token needed)
  --json               print a JSON array of row objects
  --api-url URL        GitHub API base URL (default: GITHUB_API_URL or https://api.github.com)
  --concurrency N      pages loaded ahead while reading a list (default 4; 1 = one at a time)
  --max-wait SECONDS   longest wait for a rate limit before failing (default 60)
  --timeout SECONDS    per-request timeout (default 30)
  --allow-writes       enable the actions delete_package_for_authenticated_user and
                       restore_package_for_authenticated_user
  --dry-run            actions report what they would do, without doing it
  -h, --help           show this help
  -v, --version        show the version

Token: GITHUB_TOKEN, then GH_TOKEN, then \`gh auth token\` (a classic token with read:packages).
`;

export interface CliOptions {
  sql?: string;
  demo: boolean;
  json: boolean;
  apiUrl?: string;
  concurrency?: number;
  maxWaitMs?: number;
  timeoutMs?: number;
  allowWrites: boolean;
  dryRun: boolean;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export function parseCliArguments(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        demo: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'api-url': { type: 'string' },
        concurrency: { type: 'string' },
        'max-wait': { type: 'string' },
        timeout: { type: 'string' },
        'allow-writes': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`give the SQL as one argument (quote it); got ${positionals.length}.`);
  return {
    sql: positionals[0],
    demo: values.demo,
    json: values.json,
    apiUrl: values['api-url'],
    concurrency: values.concurrency === undefined ? undefined : wholeNumber('--concurrency', values.concurrency, 1),
    maxWaitMs: values['max-wait'] === undefined ? undefined : wholeNumber('--max-wait', values['max-wait'], 0) * 1000,
    timeoutMs: values.timeout === undefined ? undefined : wholeNumber('--timeout', values.timeout, 1) * 1000,
    allowWrites: values['allow-writes'],
    dryRun: values['dry-run'],
    help: values.help,
    version: values.version,
  };
}

function wholeNumber(flag: string, text: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new UsageError(`${flag} takes a whole number of at least ${minimum}, not ${JSON.stringify(text)}.`);
  return value;
}
