// How a stand-in running elsewhere (a worker thread, or a benchmark's child process) answers the
// commands of its controller (thread.ts's StandIn interface).

import type { StandInServer } from './server.js';
import type { ThreadCommand, ThreadMessage } from './thread.js';
import { messageOf } from '../errors.js';

export function answerCommand(server: StandInServer, command: ThreadCommand): ThreadMessage {
  try {
    return { id: command.id, value: run(server, command) };
  } catch (error) {
    return { id: command.id, error: messageOf(error) };
  }
}

function run(server: StandInServer, command: ThreadCommand): unknown {
  switch (command.name) {
    case 'requests':
      return server.requests();
    case 'registryRequests':
      return server.registryRequests();
    case 'clearRequests':
      return server.clearRequests();
    case 'configure':
      return server.configure(command.patch ?? {});
  }
}

/** The controller's side: numbered commands waiting for their answers. */
export class PendingCommands {
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;

  get size(): number {
    return this.waiting.size;
  }

  /** Sends a command with `send` and resolves with the value the stand-in answers. */
  call(send: (command: ThreadCommand) => void, name: ThreadCommand['name'], patch?: ThreadCommand['patch']): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      send({ id, name, patch });
    });
  }

  settle(message: ThreadMessage): void {
    if (!('id' in message)) return;
    const call = this.waiting.get(message.id);
    if (!call) return;
    this.waiting.delete(message.id);
    if (message.error === undefined) call.resolve(message.value);
    else call.reject(new Error(message.error));
  }

  rejectAll(reason: Error): void {
    for (const call of this.waiting.values()) call.reject(reason);
    this.waiting.clear();
  }
}
