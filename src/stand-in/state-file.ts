// Keeps the stand-in's changes (deletes, restores, pushes) in a file, so that the demo's state
// outlasts its process: `ghsql --demo --db FILE` deletes a version, and a second command sees it
// gone. The file is a journal, one JSON line per change as it was made; a start replays it over the
// stand-in's made-up data, which is the same every time.

import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { StandInData } from './accounts.js';
import { answer, resolveRoute } from './api.js';
import type { AccountAccess } from './api-types.js';
import { landDuePushes, type ImagePush } from './image-pushes.js';
import type { StandInSwitches } from './server.js';

/** One change the stand-in made, with when it was made (deleted_at and updated_at are kept). */
export type StateChange =
  /** A write the API answered with success: replayed through the same operation. */
  | { api: { method: string; path: string; rawQuery: string; access: AccountAccess }; at: number }
  /** A manifest pushed to the registry. */
  | { push: ImagePush; at: number };

export class StateFile {
  constructor(private readonly path: string) {}

  /** Applies the file's changes to `data`, in order; a change the data no longer allows is skipped. */
  replay(data: StandInData, apiBaseUrl: string, switches: StandInSwitches): void {
    if (!existsSync(this.path)) return;
    const lines = readFileSync(this.path, 'utf8').split('\n').filter((line) => line.trim() !== '');
    lines.forEach((line, index) => {
      let change: StateChange;
      try {
        change = JSON.parse(line) as StateChange;
      } catch {
        throw new Error(`line ${index + 1} of the demo's state file ${this.path} is not JSON; delete the file to start the demo afresh.`);
      }
      if ('push' in change) {
        landDuePushes(data, [change.push], change.at);
        return;
      }
      const { method, path, rawQuery, access } = change.api;
      const route = resolveRoute(method, path);
      if (route) answer(route, new URLSearchParams(rawQuery), rawQuery, { data, apiBaseUrl, switches, access, now: change.at });
    });
  }

  /** Appends a change at once, so that it outlasts the process however it ends. */
  record(change: StateChange): void {
    appendFileSync(this.path, `${JSON.stringify(change)}\n`);
  }
}
