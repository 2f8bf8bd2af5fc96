import { workerData, type MessagePort } from 'node:worker_threads';
import { runAction, type ActionCall } from '../engine/execute-action.js';
import { executePlan } from '../engine/execute.js';
import type { QueryPlan } from '../engine/routing.js';
import { GitHubClient, type ClientOptions } from '../github/client.js';
import { PageDemand } from '../github/pagination.js';
import { serve } from './serve.js';

/** Entry point of the worker thread: one GitHub client serving one registered database. */
const { port, posted, config } = workerData as { port: MessagePort; posted: Int32Array; config: ClientOptions };
const client = new GitHubClient(config);

serve(port, posted, {
  stream(payload, signal, onMore) {
    const demand = new PageDemand(1);
    onMore((consumed) => demand.raise(consumed + client.options.concurrency));
    return executePlan(client, payload as QueryPlan, demand, signal);
  },
  call(payload, signal) {
    return runAction(client, payload as ActionCall, signal);
  },
});
