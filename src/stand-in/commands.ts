// How a stand-in running elsewhere (a worker thread, or a benchmark's child process) answers the
// commands of its controller (thread.ts's StandIn interface).

import type { StandInServer } from './server.js';
import type { ThreadCommand, ThreadMessage } from './thread.js';

export function answerCommand(server: StandInServer, command: ThreadCommand): ThreadMessage {
  try {
    return { id: command.id, value: run(server, command) };
  } catch (error) {
    return { id: command.id, error: error instanceof Error ? error.message : String(error) };
  }
}

function run(server: StandInServer, command: ThreadCommand): unknown {
  switch (command.name) {
    case 'requests':
      return server.requests();
    case 'clearRequests':
      return server.clearRequests();
    case 'configure':
      return server.configure(command.patch ?? {});
  }
}
