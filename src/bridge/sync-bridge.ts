import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { atEndOfTurn } from '../end-of-turn.js';
import { deserializeError, GhsqlError } from '../errors.js';
import type { TraceEvent } from '../github/trace.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface BridgeListeners {
  onTrace?: (event: TraceEvent) => void;
  /** Called on the SQL thread as each batch (page) of rows arrives. */
  onBatch?: (rows: number) => void;
}

/**
 * SQLite calls virtual tables and functions synchronously, but HTTP is asynchronous. The bridge runs
 * the HTTP side in a worker thread and blocks the SQL thread on Atomics.wait until the worker posts an
 * answer, which it then takes with receiveMessageOnPort (the technique of synckit). Streams deliver
 * one batch per page, so the SQL side processes rows while the worker loads the next pages.
 */
export class SyncBridge {
  private worker?: Worker;
  private port?: MessagePort;
  /** Bumped by the worker after each message it posts; the SQL thread waits on it. */
  private readonly posted = new Int32Array(new SharedArrayBuffer(4));
  private readonly inbox = new Map<number, FromWorker[]>();
  private nextId = 1;
  private closed = false;
  /** Set when the worker failed unexpectedly: every later request fails with it instead of waiting. */
  private broken?: GhsqlError;
  /** Streams not yet read to their end. */
  private readonly open = new Set<number>();
  /** A stream SQLite abandoned (LIMIT, an error elsewhere) is cancelled when its generator is collected. */
  private readonly abandoned = new FinalizationRegistry<number>((id) => this.cancel(id));

  constructor(
    private readonly workerUrl: URL,
    private readonly workerData: unknown,
    private readonly listeners: BridgeListeners = {},
  ) {}

  /** Streams started before anyone asked (prefetch), by the JSON of their payload. */
  private readonly prefetched = new Map<string, number>();

  /** Yields the batches of a stream; the worker reads ahead only as far as this reader asks. */
  stream(payload: unknown): Generator<unknown[][]> {
    const key = JSON.stringify(payload);
    const started = this.prefetched.get(key);
    this.prefetched.delete(key);
    const id = started ?? this.send({ kind: 'stream', id: this.nextId++, payload });
    const batches = this.readStream(id);
    this.abandoned.register(batches, id, batches);
    return batches;
  }

  /**
   * Starts a stream that a later stream() call with the same payload will read: its first `pages`
   * pages are requested now. One not claimed in this synchronous run (until the event loop turns) is
   * cancelled, so a wrong guess costs at most those pages.
   */
  prefetch(payload: unknown, pages: number): void {
    const key = JSON.stringify(payload);
    if (this.prefetched.has(key)) return;
    this.prefetched.set(key, this.send({ kind: 'stream', id: this.nextId++, payload, pages }));
    this.expirePrefetched();
  }

  private readonly expirePrefetched = atEndOfTurn(() => this.cancelPrefetched());

  /** Cancels the streams nobody claimed (also before a write, which would make them stale). */
  cancelPrefetched(): void {
    for (const id of this.prefetched.values()) this.cancel(id);
    this.prefetched.clear();
  }

  call(payload: unknown): unknown {
    const id = this.send({ kind: 'call', id: this.nextId++, payload });
    try {
      const message = this.receive(id);
      if (message.kind === 'error') throw deserializeError(message.error);
      if (message.kind !== 'result') throw new Error(`ghsql bridge: unexpected ${message.kind} for a call`);
      return message.value;
    } finally {
      this.inbox.delete(id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    await worker?.terminate();
  }

  /**
   * Reads every open stream to its end into its queue. A write (delete, restore) changes GitHub's
   * pages under a list being read, and the later pages would then skip packages: an action calls
   * this first, so the list it iterates is the one from before any write.
   */
  drainOpenStreams(): void {
    this.cancelPrefetched();
    for (const id of this.open) {
      this.post({ kind: 'more', id, consumed: Number.MAX_SAFE_INTEGER });
      const queue = this.inbox.get(id);
      while (queue && !queue.some((message) => message.kind === 'end' || message.kind === 'error')) this.takeMessage();
    }
  }

  private *readStream(id: number): Generator<unknown[][]> {
    let consumed = 0;
    let finished = false;
    this.open.add(id);
    try {
      for (;;) {
        if (consumed > 0) this.post({ kind: 'more', id, consumed });
        const message = this.receive(id);
        if (message.kind === 'error') {
          finished = true;
          throw deserializeError(message.error);
        }
        if (message.kind === 'end') {
          finished = true;
          return;
        }
        if (message.kind !== 'batch') throw new Error(`ghsql bridge: unexpected ${message.kind} in a stream`);
        consumed++;
        this.listeners.onBatch?.(message.rows.length);
        yield message.rows;
      }
    } finally {
      this.open.delete(id);
      if (!finished) this.cancel(id);
      this.inbox.delete(id);
    }
  }

  private send(message: ToWorker): number {
    this.inbox.set(message.id, []);
    this.post(message);
    return message.id;
  }

  private post(message: ToWorker): void {
    this.connect().postMessage(message);
  }

  private cancel(id: number): void {
    this.open.delete(id);
    this.inbox.delete(id);
    this.port?.postMessage({ kind: 'cancel', id } satisfies ToWorker);
  }

  private receive(id: number): FromWorker {
    const queue = this.inbox.get(id)!;
    for (;;) {
      const queued = queue.shift();
      if (queued) return queued;
      this.takeMessage();
    }
  }

  /** Waits for the worker's next message and files it in its stream's queue. */
  private takeMessage(): void {
    const port = this.connect();
    for (;;) {
      const seen = Atomics.load(this.posted, 0);
      const incoming = receiveMessageOnPort(port);
      if (incoming) {
        const message = incoming.message as FromWorker;
        if (message.kind === 'trace') this.listeners.onTrace?.(message.event);
        else if (message.kind === 'fatal') throw (this.broken = deserializeError(message.error));
        else this.inbox.get(message.id)?.push(message); // messages of abandoned streams are dropped
        return;
      }
      Atomics.wait(this.posted, 0, seen);
    }
  }

  private connect(): MessagePort {
    if (this.broken) throw this.broken;
    if (this.port) return this.port;
    if (this.closed) throw new GhsqlError('CLOSED', 'ghsql was closed on this database; register it again (on a new database) to query GitHub.');
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(this.workerUrl, {
      workerData: { port: port2, posted: this.posted, config: this.workerData },
      transferList: [port2],
      // Not the parent's flags: under `node -e CODE` (or a notebook kernel's) they would run that code
      // again. Profiling flags are kept, so `node --cpu-prof` profiles the worker too.
      // A small young generation: the worker makes a page's garbage at a time, and with V8's default
      // it let peak RSS reach 208 MB on a 100,000-row list; 4 MB gives 162 MB at no CPU cost
      // (npm run bench -- --only 4,5).
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
      execArgv: process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag)),
    });
    // Scripts exit when their work is done, without having to call close().
    this.worker.unref();
    this.port = port1;
    return port1;
  }
}
