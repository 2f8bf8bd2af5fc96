import { workerData } from 'node:worker_threads';
import { ActionRunner } from './action-runner.js';
import { executePlan, RowConverters } from './read-plan.js';
import type { WorkerStart } from '../rpc/protocol.js';
import type { TableWire, WorkerConfig } from '../table/wire.js';
import { GitHubClient, type ClientOptions } from '../github/client.js';
import { PageDemand } from '../github/pagination.js';
import { RegistryClient } from '../github/registry/registry-client.js';
import type { ResponseCache } from '../github/response-cache.js';
import type { TraceEvent } from '../github/trace.js';
import { messageOf, serializeError } from '../errors.js';
import { LIBRARY_WORDING } from '../wording.js';
import { poster, serve } from '../rpc/serve.js';
import type { FromWorker } from '../rpc/protocol.js';
import { SecretScrubber } from '../github/redact.js';
import { redactedEvent } from '../github/transport/tracing.js';

/** Entry point of the worker thread: one GitHub client serving one registered database. */
const { port, posted, config } = workerData as WorkerStart<WorkerConfig>; // what SyncBridge starts it with
// The token, and each secret a request is given (a restore's package token) as it is given: no error,
// trace or outcome leaves this thread with one, whichever module wrote it from what a server sent.
const secrets = new SecretScrubber([config.client.token]);
const send = poster<TableWire>(port, posted);
const post = (message: FromWorker<TableWire>) => send(scrubbed(message, secrets.scrub));
// An unexpected error must reach the SQL thread, which would otherwise wait for an answer forever.
process.on('uncaughtException', (error) => post({ kind: 'fatal', id: 0, error: serializeError(error) }));
process.on('exit', (code) => post({ kind: 'fatal', id: 0, error: { code: 'NETWORK', message: `ghsql's HTTP worker stopped (exit code ${code}).` } }));
const onTrace = config.trace ? (event: TraceEvent) => post({ kind: 'trace', id: 0, event }) : undefined;
const cache = await openCache(config.client);
const client = new GitHubClient(config.client, onTrace, cache, { secrets });
const converters = new RowConverters(config.resourceModule);
const context = { registry: new RegistryClient(client, cache, onTrace), concurrency: client.options.concurrency };
const actions = new ActionRunner(client, converters, context);

serve<TableWire>(port, post, {
  stream(payload, signal, onMore, pages) {
    const demand = new PageDemand(pages);
    // `concurrency` pages on the wire and as many arrived while SQLite works: a request is sent as
    // soon as an answer arrives, not once SQLite has taken its rows (readPages' read-ahead).
    onMore((consumed) => demand.raise(consumed + 2 * client.options.concurrency));
    return executePlan(client, converters, payload, demand, signal, context);
  },
  call(payload, signal) {
    return actions.run(payload, signal);
  },
});

/** The cache needs better-sqlite3 in this thread, so it is loaded only when the cache is on. */
async function openCache({ cacheDir, token }: ClientOptions): Promise<ResponseCache | undefined> {
  if (!cacheDir || !token) return undefined;
  const { ResponseCache } = await import('../github/response-cache.js');
  try {
    return new ResponseCache(cacheDir, token);
  } catch (error) {
    // A cache is an optimisation: say why it is off, and go on without it.
    process.emitWarning(`ghsql: cannot use the cache in ${cacheDir} (${messageOf(error)}); continuing without it. ${(config.client.wording ?? LIBRARY_WORDING).noCache} silences this.`);
    return undefined;
  }
}

/** The message without secrets in its texts; rows are GitHub's data, passed as they are. */
function scrubbed(message: FromWorker<TableWire>, redact: (text: string) => string): FromWorker<TableWire> {
  switch (message.kind) {
    case 'error':
    case 'fatal':
      return { ...message, error: { ...message.error, message: redact(message.error.message) } };
    case 'trace':
      return { ...message, event: redactedEvent(message.event, redact) };
    case 'result': {
      const { value } = message;
      if (value.kind === 'done') return { ...message, value: { ...value, outcome: redact(value.outcome) } };
      return { ...message, value: { ...value, reason: redact(value.reason), error: { ...value.error, message: redact(value.error.message) } } };
    }
    default:
      return message;
  }
}
