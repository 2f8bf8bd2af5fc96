import { workerData, type MessagePort } from 'node:worker_threads';
import { ActionRunner, type ActionCall } from '../engine/execute-action.js';
import { executePlan, RowConverters } from '../engine/execute.js';
import type { QueryPlan } from '../engine/routing.js';
import { GitHubClient, type ClientOptions } from '../github/client.js';
import { PageDemand } from '../github/pagination.js';
import { RegistryClient } from '../github/registry-client.js';
import type { ResponseCache } from '../github/response-cache.js';
import type { TraceEvent } from '../github/trace.js';
import { serializeError } from '../errors.js';
import { LIBRARY_WORDING } from '../wording.js';
import { poster, serve } from './serve.js';

export interface WorkerConfig {
  client: ClientOptions;
  /** URL of the module whose `resources` this registration serves. */
  resourceModule: string;
  /** Send a trace event for every HTTP exchange (for --trace and progress lines). */
  trace: boolean;
}

/** Entry point of the worker thread: one GitHub client serving one registered database. */
const { port, posted, config } = workerData as { port: MessagePort; posted: Int32Array; config: WorkerConfig };
const post = poster(port, posted);
// An unexpected error must reach the SQL thread, which would otherwise wait for an answer forever.
process.on('uncaughtException', (error) => post({ kind: 'fatal', id: 0, error: serializeError(error) }));
process.on('exit', (code) => post({ kind: 'fatal', id: 0, error: { code: 'NETWORK', message: `ghsql's HTTP worker stopped (exit code ${code}).` } }));
const onTrace = config.trace ? (event: TraceEvent) => post({ kind: 'trace', id: 0, event }) : undefined;
const cache = await openCache(config.client);
const client = new GitHubClient(config.client, onTrace, cache);
const converters = new RowConverters(config.resourceModule);
const context = { registry: new RegistryClient(client, cache, onTrace), concurrency: client.options.concurrency };
const actions = new ActionRunner(client, converters, context);

serve(port, post, {
  stream(payload, signal, onMore, pages) {
    const demand = new PageDemand(pages);
    onMore((consumed) => demand.raise(consumed + client.options.concurrency));
    return executePlan(client, converters, payload as QueryPlan, demand, signal, context);
  },
  call(payload, signal) {
    return actions.run(payload as ActionCall, signal);
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
    process.emitWarning(`ghsql: cannot use the cache in ${cacheDir} (${error instanceof Error ? error.message : String(error)}); continuing without it. ${(config.client.wording ?? LIBRARY_WORDING).noCache} silences this.`);
    return undefined;
  }
}
