import { Worker } from 'node:worker_threads';

/**
 * Ctrl-C for the shell's running statement. While a statement waits for GitHub the SQL thread is
 * blocked in Atomics.wait, and readline keeps the terminal in raw mode, so Ctrl-C is no signal but a
 * byte (0x03) that nobody reads until the statement ends. A small thread (ctrl-c-thread.ts) reads
 * the terminal while a statement runs: a Ctrl-C interrupts the statement through the bridge's shared
 * cells (bridge/interrupt.ts); every other byte typed meanwhile is kept and handed back afterwards,
 * so that readline sees what was typed ahead, in order. Between statements the thread reads nothing.
 */

/** Cells of the control array shared with the thread. */
export const STATE = 0;
/** Bytes of typeahead the thread left in the shared buffer when it went idle. */
export const LENGTH = 1;

/** The thread's states; the SQL thread moves it between IDLE, ARMED, DISARMING and STOPPING. */
export const STARTING = 0;
export const IDLE = 1;
export const ARMED = 2;
export const DISARMING = 3;
export const STOPPING = 4;
/** The terminal could not be opened: the shell runs without Ctrl-C for statements. */
export const UNAVAILABLE = 5;

export interface WatcherData {
  control: SharedArrayBuffer;
  typeahead: SharedArrayBuffer;
  interruptHandle: SharedArrayBuffer;
  /** The terminal to read: the controlling one, which is the shell's stdin. */
  tty: string;
}

/** Typeahead kept while a statement runs; beyond it, bytes stay in the terminal for readline. */
const TYPEAHEAD_BYTES = 64 * 1024;
/** A thread starts in tens of milliseconds; this only bounds the wait if something is badly wrong. */
const START_LIMIT_MS = 10_000;
const HANDOVER_LIMIT_MS = 10_000;

export class CtrlCWatcher {
  private constructor(
    private readonly worker: Worker,
    private readonly control: Int32Array,
    private readonly typeahead: Uint8Array,
  ) {}

  /**
   * Starts the thread and waits until it has the terminal open (once, before the first prompt, so
   * that no statement can run before Ctrl-C works). Undefined when it cannot: no /dev/tty.
   */
  static start(interruptHandle: SharedArrayBuffer): CtrlCWatcher | undefined {
    const control = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    const typeahead = new SharedArrayBuffer(TYPEAHEAD_BYTES);
    const data: WatcherData = { control: control.buffer as SharedArrayBuffer, typeahead, interruptHandle, tty: '/dev/tty' };
    // execArgv: [], so that under `node -e CODE` the thread does not run that code again.
    const worker = new Worker(new URL('./ctrl-c-thread.js', import.meta.url), { workerData: data, execArgv: [] });
    worker.unref();
    waitWhile(control, STARTING, START_LIMIT_MS);
    if (Atomics.load(control, STATE) !== IDLE) {
      void worker.terminate();
      return undefined;
    }
    return new CtrlCWatcher(worker, control, new Uint8Array(typeahead));
  }

  /** A statement begins: Ctrl-C now interrupts it. */
  arm(): void {
    Atomics.store(this.control, STATE, ARMED);
    Atomics.notify(this.control, STATE);
  }

  /** The statement has ended: the thread stops reading, and what was typed meanwhile is returned. */
  disarm(): Buffer {
    Atomics.store(this.control, STATE, DISARMING);
    Atomics.notify(this.control, STATE);
    waitWhile(this.control, DISARMING, HANDOVER_LIMIT_MS);
    const length = Atomics.load(this.control, LENGTH);
    return Buffer.from(this.typeahead.subarray(0, length));
  }

  close(): void {
    Atomics.store(this.control, STATE, STOPPING);
    Atomics.notify(this.control, STATE);
    void this.worker.terminate();
  }
}

/** Blocks while the state is `state`, at most `limitMs` in all. */
function waitWhile(control: Int32Array, state: number, limitMs: number): void {
  const end = performance.now() + limitMs;
  for (let left = limitMs; Atomics.load(control, STATE) === state && left > 0; left = end - performance.now()) {
    Atomics.wait(control, STATE, state, left);
  }
}
