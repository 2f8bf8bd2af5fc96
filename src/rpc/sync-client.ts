import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { atEndOfTurn } from '../end-of-turn.js';
import { deserializeError, GhsqlError } from '../errors.js';
import type { TraceEvent } from '../github/trace.js';
import type { Wording } from '../wording.js';
import { INTERRUPT, interrupt, newBridgeCells, POSTED } from './interrupt.js';
import { rowCount, unpackRows, type FromWorker, type ReadBatch, type ToWorker, type Wire } from './protocol.js';

/** Where a statement is, as onProgress reports it. */
export interface Progress {
  /** Pages (and single-item answers) that have reached SQLite in this statement. */
  pages: number;
  /**
   * The pages the lists begun so far have in all, as GitHub's rel="last" links give them; undefined
   * until the first page of a list has arrived. A join that starts more lists makes it grow.
   */
  pagesTotal?: number;
  /** Rows those pages held (before SQLite's own filtering). */
  rows: number;
  /** Set while a request waits for GitHub's rate limit to lift: when it will try again. */
  waitingUntil?: Date;
  /** Actions (writes) this statement has done, once it has done one. */
  actions?: number;
  /** GitHub's rate-limit budget as its last answer gave it: requests left, and when the window refills. */
  rateLimit?: { remaining: number; resetsAt?: Date };
}

export interface BridgeOptions {
  onTrace?: (event: TraceEvent) => void;
  /** Called on the SQL thread as each batch (page) of rows arrives. */
  onBatch?: (rows: number) => void;
  /** Called on the SQL thread as pages arrive or a rate-limit wait begins, and every quarter second while a statement waits. */
  onProgress?: (progress: Progress) => void;
  /** The longest a statement may take, in ms, counted from its first request; undefined: no limit. */
  statementTimeoutMs?: number;
  wording: Pick<Wording, 'interrupt' | 'statementTimeout'>;
}

/** How often onProgress hears from a statement that is waiting (a spinner stays alive; Ctrl-C is shown to work). */
const PROGRESS_HEARTBEAT_MS = 250;

/**
 * One statement, as far as the bridge can tell: SQLite does not say when statements begin, so a run
 * begins with the first request after the event loop last turned (or with beginStatement()) and ends
 * when the event loop turns with no stream open. Statements run back to back in one synchronous
 * stretch (a notebook cell, a script without await) are one run; a stream read across awaits
 * (iterate() with awaits between rows) keeps its run going.
 */
interface Run {
  /** performance.now() past which the run fails with TIMEOUT; Infinity without statementTimeoutMs. */
  deadline: number;
  pages: number;
  rows: number;
  /** Pages each stream's list has, once its first page said so. */
  listPages: Map<number, number>;
  waitingUntil?: number;
  actions: number;
  rateLimit?: Progress['rateLimit'];
}

/**
 * SQLite calls virtual tables and functions synchronously, but HTTP is asynchronous. The bridge runs
 * the HTTP side in a worker thread and blocks the SQL thread on Atomics.wait until the worker posts an
 * answer, which it then takes with receiveMessageOnPort (the technique of synckit). Streams deliver
 * one batch per page, so the SQL side processes rows while the worker loads the next pages.
 */
export class SyncBridge<W extends Wire> {
  private worker?: Worker;
  private port?: MessagePort;
  /** POSTED is bumped by the worker after each message it posts; the SQL thread waits on it (interrupt.ts). */
  private readonly cells = newBridgeCells();
  /** Hand it to another thread: interrupt(handle) there stops this bridge's statement. */
  readonly interruptHandle = this.cells.buffer as SharedArrayBuffer;
  private readonly inbox = new Map<number, Array<FromWorker<W>>>();
  private nextId = 1;
  private closed = false;
  /** Set when the worker failed unexpectedly: every later request fails with it instead of waiting. */
  private broken?: GhsqlError;
  /** Streams not yet read to their end. */
  private readonly open = new Set<number>();
  /** Actions under way (a call waiting for its answer). */
  private readonly calls = new Set<number>();
  /** Streams cancelled because their statement was stopped: reading one again throws why. */
  private readonly stopped = new Map<number, GhsqlError>();
  private run: Run | undefined;
  /** A stream SQLite abandoned (LIMIT, an error elsewhere) is cancelled when its generator is collected. */
  private readonly abandoned = new FinalizationRegistry<number>((id) => this.cancel(id));

  constructor(
    private readonly workerUrl: URL,
    private readonly config: unknown,
    private readonly options: BridgeOptions,
  ) {}

  /**
   * Stops the statement that is running, from this thread (an onProgress callback, a timer between
   * the pages of an iterate() with awaits): it fails with INTERRUPTED at its next wait for GitHub.
   * With no statement running it does nothing.
   */
  interrupt(): void {
    if (this.run) interrupt(this.interruptHandle);
  }

  /**
   * Starts a new run now, with its own deadline and progress counts, for a caller that knows where
   * statements begin (the CLI). An interrupt already requested is kept: it may have been meant for
   * this statement, and that caller drops stale ones itself.
   */
  beginStatement(): void {
    this.run = this.newRun();
    this.endRun();
  }

  /** Streams started before anyone asked (prefetch), by the key their caller gave them (a plan's key). */
  private readonly prefetched = new Map<string, number>();

  /** Yields the batches of a stream; the worker reads ahead only as far as this reader asks. */
  stream(payload: W['stream'], key: string): Generator<ReadBatch<W['row']>> {
    this.touch();
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
  prefetch(payload: W['stream'], key: string, pages: number): void {
    this.touch();
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

  call(payload: W['call']): W['result'] {
    this.touch();
    // A write is sent only within the statement's deadline and before any interrupt: never sent, then stopped.
    this.checkRun();
    const id = this.send({ kind: 'call', id: this.nextId++, payload });
    this.calls.add(id);
    try {
      const message = this.receive(id);
      if (message.kind === 'error') throw deserializeError(message.error);
      if (message.kind !== 'result') throw new Error(`ghsql bridge: unexpected ${message.kind} for a call`);
      this.countAction();
      return message.value;
    } catch (error) {
      // A write stopped half-way may have reached GitHub already: say so, where it is reported.
      if (error instanceof GhsqlError && (error.code === 'INTERRUPTED' || error.code === 'TIMEOUT')) {
        throw new GhsqlError(error.code, `${error.message} The action under way may have reached GitHub before it was stopped: look the package up before running it again.`);
      }
      throw error;
    } finally {
      this.calls.delete(id);
      this.inbox.delete(id);
      this.stopped.delete(id);
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
    this.touch();
    this.cancelPrefetched();
    for (const id of this.open) {
      this.post({ kind: 'more', id, consumed: Number.MAX_SAFE_INTEGER });
      const queue = this.inbox.get(id);
      while (queue && !queue.some((message) => message.kind === 'end' || message.kind === 'error')) this.takeMessage();
    }
  }

  private *readStream(id: number): Generator<ReadBatch<W['row']>> {
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
        this.options.onBatch?.(rowCount(message.rows));
        this.counted(id, message);
        yield { rows: unpackRows(message.rows), ...(message.pages === undefined ? {} : { pages: message.pages }) };
        this.touch(); // SQLite came back for more, perhaps after the event loop turned (iterate() with awaits)
      }
    } finally {
      this.open.delete(id);
      if (!finished) this.cancel(id);
      this.inbox.delete(id);
      this.stopped.delete(id);
    }
  }

  private send(message: ToWorker<W>): number {
    this.inbox.set(message.id, []);
    this.post(message);
    return message.id;
  }

  private post(message: ToWorker<W>): void {
    this.connect().postMessage(message);
  }

  private cancel(id: number): void {
    this.open.delete(id);
    this.inbox.delete(id);
    this.stopped.delete(id);
    this.port?.postMessage({ kind: 'cancel', id } satisfies ToWorker<W>);
  }

  /** The next message of a stream or call, checking before each that its statement may go on. */
  private receive(id: number): FromWorker<W> {
    for (;;) {
      this.checkRun();
      const queue = this.inbox.get(id);
      if (!queue) throw this.stopped.get(id) ?? new GhsqlError('INTERNAL', 'ghsql bridge: a stream was read after it was cancelled. This is a bug; please report it.');
      const queued = queue.shift();
      if (queued) return queued;
      this.takeMessage();
    }
  }

  /** Waits for the worker's next message and files it in its stream's queue. */
  private takeMessage(): void {
    const port = this.connect();
    for (;;) {
      const seen = Atomics.load(this.cells, POSTED);
      const incoming = receiveMessageOnPort(port);
      if (incoming) {
        const message = incoming.message as FromWorker<W>; // the worker posts only these (serve.ts)
        if (message.kind === 'trace') this.traced(message.event);
        else if (message.kind === 'fatal') throw (this.broken = deserializeError(message.error));
        else this.inbox.get(message.id)?.push(message); // messages of abandoned streams are dropped
        return;
      }
      this.checkRun();
      const heartbeat = this.options.onProgress ? PROGRESS_HEARTBEAT_MS : Infinity;
      const wait = Math.min(heartbeat, (this.run?.deadline ?? Infinity) - performance.now());
      // interrupt() and the worker both bump POSTED, so either ends this wait.
      const woken = Atomics.wait(this.cells, POSTED, seen, Number.isFinite(wait) ? Math.max(0, wait) : undefined);
      if (woken === 'timed-out') this.reportProgress();
    }
  }

  /**
   * A run begins at the first request after the event loop turned; scheduling its end here, on every
   * use, keeps it going while SQLite keeps coming back.
   */
  private touch(): void {
    if (!this.run) {
      this.run = this.newRun();
      // An interrupt meant for a statement that has ended must not stop this one.
      Atomics.store(this.cells, INTERRUPT, 0);
    }
    this.endRun();
  }

  private newRun(): Run {
    const limit = this.options.statementTimeoutMs;
    return { deadline: limit === undefined ? Infinity : performance.now() + limit, pages: 0, rows: 0, listPages: new Map(), actions: 0 };
  }

  private readonly endRun = atEndOfTurn(() => {
    if (this.open.size === 0 && this.calls.size === 0) this.run = undefined;
  });

  /** Throws, and cancels everything the statement started, when it was interrupted or is past its deadline. */
  private checkRun(): void {
    if (Atomics.load(this.cells, INTERRUPT) !== 0) {
      throw this.stopRun(new GhsqlError('INTERRUPTED', `interrupted by ${this.options.wording.interrupt}: the statement was stopped and its requests to GitHub cancelled.`));
    }
    const run = this.run;
    if (run && performance.now() >= run.deadline) {
      const limit = (this.options.statementTimeoutMs ?? 0).toLocaleString('en-US');
      throw this.stopRun(
        new GhsqlError(
          'TIMEOUT',
          `the statement took longer than ${this.options.wording.statementTimeout} (${limit} ms) allows; it was stopped and its requests to GitHub cancelled. Narrow it (a LIMIT, a package_name) or allow more time.`,
        ),
      );
    }
  }

  /**
   * Ends the run: every stream and call still open is cancelled in the worker (a rate-limit wait or
   * a slow request there ends too), and reading one of them again throws the same error. The bridge
   * and its worker stay ready for the next statement.
   */
  private stopRun(error: GhsqlError): GhsqlError {
    Atomics.store(this.cells, INTERRUPT, 0);
    this.run = undefined;
    this.cancelPrefetched();
    for (const id of [...this.open, ...this.calls]) {
      this.cancel(id);
      this.stopped.set(id, error);
    }
    return error;
  }

  private traced(event: TraceEvent): void {
    this.options.onTrace?.(event);
    const run = this.run;
    if (!run) return;
    if (event.rateLimitRemaining !== undefined) run.rateLimit = { remaining: event.rateLimitRemaining, ...(event.rateLimitReset === undefined ? {} : { resetsAt: new Date(event.rateLimitReset) }) };
    if (event.waitUntil === undefined && run.waitingUntil === undefined) return;
    run.waitingUntil = event.waitUntil;
    this.reportProgress();
  }

  /** Writes are what a cleanup waits on: the progress line counts them as they are done. */
  private countAction(): void {
    const run = this.run;
    if (!run) return;
    run.actions++;
    this.reportProgress();
  }

  private counted(id: number, message: Extract<FromWorker<W>, { kind: 'batch' }>): void {
    const run = this.run;
    if (!run) return;
    run.pages++;
    run.rows += rowCount(message.rows);
    if (message.pages !== undefined && !run.listPages.has(id)) run.listPages.set(id, message.pages);
    run.waitingUntil = undefined;
    this.reportProgress();
  }

  private reportProgress(): void {
    const run = this.run;
    if (!run || !this.options.onProgress) return;
    let pagesTotal: number | undefined;
    for (const pages of run.listPages.values()) pagesTotal = (pagesTotal ?? 0) + pages;
    this.options.onProgress({
      pages: run.pages,
      rows: run.rows,
      ...(pagesTotal === undefined ? {} : { pagesTotal }),
      ...(run.waitingUntil === undefined ? {} : { waitingUntil: new Date(run.waitingUntil) }),
      ...(run.actions === 0 ? {} : { actions: run.actions }),
      ...(run.rateLimit === undefined ? {} : { rateLimit: run.rateLimit }),
    });
  }

  private connect(): MessagePort {
    if (this.broken) throw this.broken;
    if (this.port) return this.port;
    if (this.closed) throw new GhsqlError('CLOSED', 'ghsql was closed on this database; register it again (on a new database) to query GitHub.');
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(this.workerUrl, {
      workerData: { port: port2, posted: this.cells, config: this.config },
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
