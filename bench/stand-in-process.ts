import { fork, type ChildProcess } from 'node:child_process';
import type { RegistryRequest } from '../dist/stand-in/registry.js';
import type { LoggedRequest, StandInSwitches } from '../dist/stand-in/server.js';
import { DEMO_TOKEN } from '../dist/stand-in/server.js';
import { PendingCommands } from '../dist/stand-in/commands.js';
import type { StandIn, ThreadCommand, ThreadMessage } from '../dist/stand-in/thread.js';
import { sleep } from './measure.js';
import type { ChildOptions } from './stand-in-child.js';

/** A benchmark makes more requests than GitHub's 5,000 an hour; the limit is not what it measures. */
const UNLIMITED = { limit: 1e9, remaining: 1e9, resetSeconds: 3600 };

/**
 * Starts the stand-in in a child process and drives it over IPC with the commands of the thread
 * version (thread.ts), behind the same StandIn interface.
 */
export async function startStandInProcess(options: ChildOptions): Promise<StandIn> {
  const childOptions: ChildOptions = { ...options, switches: { rateLimit: UNLIMITED, ...options.switches } };
  const child = fork(new URL('./stand-in-child.js', import.meta.url), [JSON.stringify(childOptions)], {
    // Profiling the benchmark (NODE_OPTIONS=--cpu-prof) is about ghsql, not the server.
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { url, registryUrl } = await started(child);
    return new StandInProcess(child, url, registryUrl);
  } catch (error) {
    child.kill();
    throw error;
  }
}

/** The servers' URLs, once the child reports that they listen. */
function started(child: ChildProcess): Promise<{ url: string; registryUrl: string }> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ThreadMessage) => {
      if (!('started' in message)) return;
      stopListening();
      resolve(message.started);
    };
    const onExit = (code: number | null) => {
      stopListening();
      reject(new Error(`the stand-in process exited with code ${code} before it started`));
    };
    const stopListening = () => child.off('message', onMessage).off('exit', onExit).off('error', reject);
    child.on('message', onMessage).once('exit', onExit).once('error', reject);
  });
}

/** Runs `work` and returns what it returned with the requests the stand-in received meanwhile. */
export async function withRequests<T>(standIn: StandIn, work: () => Promise<T>, settleMs = 0): Promise<{ value: T; requests: LoggedRequest[] }> {
  await standIn.clearRequests();
  const value = await work();
  // A request cancelled in flight is logged when its delayed answer is written, after the query.
  if (settleMs > 0) await sleep(settleMs);
  return { value, requests: await standIn.requests() };
}

class StandInProcess implements StandIn {
  readonly token = DEMO_TOKEN;
  private readonly pending = new PendingCommands();
  private readonly exited: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly registryUrl: string,
  ) {
    child.on('message', (message: ThreadMessage) => this.pending.settle(message));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => this.pending.rejectAll(new Error('the stand-in process has stopped')));
  }

  requests(): Promise<LoggedRequest[]> {
    // The child answers `requests` with server.requests(), as the thread does.
    return this.call('requests') as Promise<LoggedRequest[]>;
  }

  registryRequests(): Promise<RegistryRequest[]> {
    return this.call('registryRequests') as Promise<RegistryRequest[]>;
  }

  async clearRequests(): Promise<void> {
    await this.call('clearRequests');
  }

  async configure(patch: Partial<StandInSwitches>): Promise<void> {
    await this.call('configure', patch);
  }

  async close(): Promise<void> {
    this.child.kill();
    await this.exited;
  }

  private call(name: ThreadCommand['name'], patch?: Partial<StandInSwitches>): Promise<unknown> {
    return this.pending.call((command) => this.child.send(command), name, patch);
  }
}
