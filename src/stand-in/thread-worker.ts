// The body of the stand-in's thread (see thread.ts): starts the server, then obeys commands.

import { parentPort, workerData } from 'node:worker_threads';
import { answerCommand } from './commands.js';
import { startStandInServer, type StandInOptions } from './server.js';
import type { ThreadCommand, ThreadMessage } from './thread.js';

if (!parentPort) throw new Error('thread-worker.js runs only as a worker thread: use startStandIn() from thread.js.');
const port = parentPort;

// thread.ts passes its StandInOptions as workerData.
const server = await startStandInServer(workerData as StandInOptions);

port.on('message', (command: ThreadCommand) => port.postMessage(answerCommand(server, command)));

const started: ThreadMessage = { started: { url: server.url, registryUrl: server.registryUrl } };
port.postMessage(started);
