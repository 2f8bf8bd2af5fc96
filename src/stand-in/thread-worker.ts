// The body of the stand-in's thread (see thread.ts): starts the server, then obeys commands.

import { parentPort, workerData } from 'node:worker_threads';
import { startStandInServer, type StandInOptions } from './server.js';
import type { ThreadCommand, ThreadMessage } from './thread.js';

if (!parentPort) throw new Error('thread-worker.js runs only as a worker thread: use startStandIn() from thread.js.');
const port = parentPort;

// thread.ts passes its StandInOptions as workerData.
const server = await startStandInServer(workerData as StandInOptions);

port.on('message', (command: ThreadCommand) => {
  let reply: ThreadMessage;
  try {
    reply = { id: command.id, value: run(command) };
  } catch (error) {
    reply = { id: command.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

function run(command: ThreadCommand): unknown {
  switch (command.name) {
    case 'requests':
      return server.requests();
    case 'clearRequests':
      return server.clearRequests();
    case 'configure':
      return server.configure(command.patch ?? {});
  }
}

const started: ThreadMessage = { started: { url: server.url } };
port.postMessage(started);
