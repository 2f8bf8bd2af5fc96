// Runs the GitHub stand-in on its own thread. ghsql's SQL side blocks the main thread
// (Atomics.wait) while a query fetches pages, so a server on the main event loop would never answer.

import { Worker } from 'node:worker_threads';
import { PendingCommands } from './commands.js';
import { DEMO_TOKEN } from './demo-token.js';
import type { RegistryRequest } from './registry.js';
import type { LoggedRequest, StandInOptions, StandInSwitches } from './server.js';

export interface StandIn {
  /** http://127.0.0.1:PORT, the API base URL. */
  url: string;
  /** http://127.0.0.1:PORT, the container registry's base URL. */
  registryUrl: string;
  /** DEMO_TOKEN, or the first of options.tokens when given. */
  token: string;
  requests(): Promise<LoggedRequest[]>;
  registryRequests(): Promise<RegistryRequest[]>;
  /** Clears the API's and the registry's logs. */
  clearRequests(): Promise<void>;
  configure(patch: Partial<StandInSwitches>): Promise<void>;
  close(): Promise<void>;
}

/** What each command sent to the thread answers. */
interface CommandResults {
  requests: LoggedRequest[];
  registryRequests: RegistryRequest[];
  clearRequests: undefined;
  configure: undefined;
}

export interface ThreadCommand {
  id: number;
  name: keyof CommandResults;
  /** For configure. */
  patch?: Partial<StandInSwitches>;
}

export type ThreadMessage = { started: { url: string; registryUrl: string } } | { id: number; value?: unknown; error?: string };

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  // execArgv: [], so that under `node -e CODE` the thread does not run that code again.
  const worker = new Worker(new URL('./thread-worker.js', import.meta.url), { workerData: options, execArgv: [] });
  try {
    const started = await new Promise<{ url: string; registryUrl: string }>((resolve, reject) => {
      const onMessage = (message: ThreadMessage) => {
        if ('started' in message) settle(() => resolve(message.started));
      };
      const onError = (error: Error) => settle(() => reject(error));
      const onExit = (code: number) => settle(() => reject(new Error(`The GitHub stand-in thread exited with code ${code} before it started.`)));
      // Removes only these: removeAllListeners() would also drop Worker's own and stall its messages.
      const settle = (outcome: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        outcome();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    const token = options.tokens ? (Object.keys(options.tokens)[0] ?? '') : DEMO_TOKEN;
    return new StandInThread(worker, started.url, started.registryUrl, token);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
}

class StandInThread implements StandIn {
  private readonly pending = new PendingCommands();
  private stopped: Error | undefined;

  constructor(
    private readonly worker: Worker,
    readonly url: string,
    readonly registryUrl: string,
    readonly token: string,
  ) {
    worker.on('message', (message: ThreadMessage) => this.answered(message));
    worker.on('error', (error) => this.stop(error));
    worker.on('exit', () => this.stop(new Error('The GitHub stand-in has stopped.')));
    // The server alone must not keep a CLI process running once its work is done.
    worker.unref();
  }

  requests(): Promise<LoggedRequest[]> {
    return this.call('requests');
  }

  registryRequests(): Promise<RegistryRequest[]> {
    return this.call('registryRequests');
  }

  clearRequests(): Promise<void> {
    return this.call('clearRequests');
  }

  configure(patch: Partial<StandInSwitches>): Promise<void> {
    return this.call('configure', patch);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private call<Name extends keyof CommandResults>(name: Name, patch?: Partial<StandInSwitches>): Promise<CommandResults[Name]> {
    if (this.stopped) return Promise.reject(this.stopped);
    // While an answer is due the thread must keep the process alive, or the promise would be dropped.
    if (this.pending.size === 0) this.worker.ref();
    // The thread answers each command with the value its CommandResults entry describes.
    return this.pending.call((command) => this.worker.postMessage(command), name, patch) as Promise<CommandResults[Name]>;
  }

  private answered(message: ThreadMessage): void {
    this.pending.settle(message);
    if (this.pending.size === 0) this.worker.unref();
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    this.pending.rejectAll(reason);
  }
}
