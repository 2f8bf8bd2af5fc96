// Runs the GitHub stand-in on its own: node dist/stand-in/main.js [--port N] [--latency MS] [--packages N --type T --versions M]

import { parseArgs } from 'node:util';
import { generatedPackages, isPackageType, PACKAGE_TYPES } from './packages-data.js';
import { DEMO_TOKEN, startStandInServer } from './server.js';

const USAGE = `Usage: node dist/stand-in/main.js [--port N] [--latency MS] [--packages N --type T --versions M]

  --port N       listen on 127.0.0.1:N (default: a free port)
  --latency MS   delay every response by MS milliseconds (default 0)
  --packages N   serve N generated packages instead of the demo account
  --type T       their type: ${PACKAGE_TYPES.join(', ')} (default container)
  --versions M   each with M active versions (default: 1 to 120)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function wholeNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`--${name} expects a whole number, not ${JSON.stringify(text)}.`);
  return Number(text);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      latency: { type: 'string' },
      packages: { type: 'string' },
      type: { type: 'string' },
      versions: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const packageCount = wholeNumber('packages', args.packages);
const packageType = args.type ?? 'container';
if (!isPackageType(packageType)) fail(`--type must be one of: ${PACKAGE_TYPES.join(', ')}.`);
const versionsEach = wholeNumber('versions', args.versions);
if ((args.type !== undefined || versionsEach !== undefined) && packageCount === undefined) fail('--type and --versions go with --packages.');

const server = await startStandInServer({
  port: wholeNumber('port', args.port),
  latencyMs: wholeNumber('latency', args.latency),
  packages: packageCount === undefined ? undefined : generatedPackages(packageCount, packageType, 1, versionsEach),
}).catch((error: unknown) => {
  console.error(`The GitHub stand-in could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

console.log(`GitHub stand-in listening on ${server.url}, its container registry on ${server.registryUrl}`);
console.log(`Token: ${DEMO_TOKEN}`);
console.log(`Try:   curl -H "Authorization: token ${DEMO_TOKEN}" "${server.url}/user/packages?package_type=${packageType}"`);
console.log('Press Ctrl-C to stop.');

process.once('SIGINT', () => void server.close());
process.once('SIGTERM', () => void server.close());
