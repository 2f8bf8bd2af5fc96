// The thread behind ctrl-c.ts: reads the terminal while the shell's statement runs.
//
// It is synchronous on purpose: it sleeps in Atomics.wait between polls, so the SQL thread can hand
// it a new state at any moment and be answered at once. The terminal is opened anew, non-blocking
// (O_NONBLOCK on its own file description, which leaves readline's untouched), so a poll never
// blocks and the thread can stop reading the instant a statement ends.

import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { interrupt, interruptPending } from '../index.js';
import { ARMED, DISARMING, IDLE, LENGTH, STATE, STOPPING, UNAVAILABLE, type WatcherData } from './ctrl-c.js';

const CTRL_C = 0x03;
/** How often the terminal is read while a statement runs: Ctrl-C takes effect within this. */
const POLL_MS = 25;
/** A Ctrl-C the statement has not taken after this long: it is busy inside SQLite, which cannot be interrupted. */
const BUSY_AFTER_MS = 500;

const { control: controlBuffer, typeahead: typeaheadBuffer, interruptHandle, tty } = workerData as WatcherData;
const control = new Int32Array(controlBuffer);
const typeahead = new Uint8Array(typeaheadBuffer);

const setState = (state: number) => {
  Atomics.store(control, STATE, state);
  Atomics.notify(control, STATE);
};

let fd: number | undefined;
try {
  fd = openSync(tty, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
} catch {
  setState(UNAVAILABLE);
}

if (fd !== undefined) {
  setState(IDLE);
  watch(fd);
  closeSync(fd);
}

function watch(terminal: number): void {
  const chunk = Buffer.alloc(4096);
  let length = 0;
  /** When the last Ctrl-C was pressed, while the statement has not taken it. */
  let pressedAt: number | undefined;
  let toldBusy = false;

  const pressed = () => {
    if (toldBusy && interruptPending(interruptHandle)) {
      // A second Ctrl-C after the note below: the user wants out, and only ending ghsql stops SQLite.
      // Node's own SIGINT handling restores the terminal before the process ends.
      writeSync(2, '\nghsql: ending (Ctrl-C twice).\n');
      process.kill(process.pid, 'SIGINT');
      return;
    }
    pressedAt = performance.now();
    interrupt(interruptHandle);
  };

  /** Reads what is there without blocking; stops when the typeahead buffer is full (the rest waits in the terminal). */
  const poll = () => {
    while (length < typeahead.length) {
      let read: number;
      try {
        read = readSync(terminal, chunk, 0, Math.min(chunk.length, typeahead.length - length), null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EINTR') continue;
        return; // EAGAIN: nothing typed; anything else: nothing to read from here
      }
      if (read === 0) return; // the terminal hung up
      for (const byte of chunk.subarray(0, read)) {
        if (byte === CTRL_C) pressed();
        else typeahead[length++] = byte;
      }
    }
  };

  for (;;) {
    const state = Atomics.load(control, STATE);
    if (state === STOPPING) return;
    if (state === IDLE) {
      Atomics.wait(control, STATE, IDLE);
      continue;
    }
    if (state === DISARMING) {
      Atomics.store(control, LENGTH, length);
      length = 0;
      pressedAt = undefined;
      toldBusy = false;
      setState(IDLE);
      continue;
    }
    poll();
    if (pressedAt !== undefined && !interruptPending(interruptHandle)) pressedAt = undefined; // taken
    if (pressedAt !== undefined && !toldBusy && performance.now() - pressedAt >= BUSY_AFTER_MS) {
      toldBusy = true;
      writeSync(2, '\n^C: the statement is busy inside SQLite, which cannot be interrupted; it stops when it next waits for GitHub. Ctrl-C again ends ghsql.\n');
    }
    if (state === ARMED) Atomics.wait(control, STATE, ARMED, POLL_MS);
  }
}
