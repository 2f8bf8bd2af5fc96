// The HTTP worker of register(db, { demo: true }): starts the built-in GitHub stand-in, points the
// client at it, then runs the ordinary worker (worker.ts). The stand-in's thread is a child of this
// one, so it ends when this worker does: close(), db.close(), or the process ending.
//
// It starts here rather than on the SQL thread because its URL (a random port) is known only once it
// listens, and the SQL thread may already be blocked in its first query by then (register() and a
// query in one notebook cell): only this thread's event loop is sure to be free to hear it.

import { workerData } from 'node:worker_threads';
import { GhsqlError, messageOf, serializeError } from '../errors.js';
import { startStandIn } from '../stand-in/thread.js';
import { poster } from '../rpc/serve.js';
import type { WorkerStart } from '../rpc/protocol.js';
import type { TableWire, WorkerConfig } from '../table/wire.js';

const data = workerData as WorkerStart<WorkerConfig>; // what SyncBridge starts it with
let started = false;
try {
  const { demoStateFile } = data.config;
  const standIn = await startStandIn(demoStateFile === undefined ? {} : { stateFile: demoStateFile });
  // worker.ts reads its configuration from workerData when it is imported, below.
  data.config.client = { ...data.config.client, baseUrl: standIn.url, registryUrl: standIn.registryUrl, token: standIn.token };
  started = true;
} catch (error) {
  // The SQL thread is waiting for an answer: it must hear why none will come.
  const reason = messageOf(error);
  poster<TableWire>(data.port, data.posted)({ kind: 'fatal', id: 0, error: serializeError(new GhsqlError('INTERNAL', `ghsql's demo stand-in did not start: ${reason}`)) });
}
if (started) await import('./main.js');
