// The stand-in in a process of its own (see stand-in-process.ts), so that the CPU time and memory a
// benchmark reads from its own process are ghsql's alone, without the server's.

import { answerCommand } from '../dist/stand-in/commands.js';
import { generatedPackages, type PackageType } from '../dist/stand-in/packages-data.js';
import { startStandInServer, type StandInSwitches } from '../dist/stand-in/server.js';
import type { ThreadCommand, ThreadMessage } from '../dist/stand-in/thread.js';

/** Generated packages, by type, with `versionsEach` versions each if given; ids run on from one type to the next. */
export type Catalogue = ReadonlyArray<{ type: PackageType; count: number; versionsEach?: number }>;

export interface ChildOptions {
  catalogue: Catalogue;
  switches: Partial<StandInSwitches>;
}

const send = (message: ThreadMessage) => process.send!(message);

if (process.send === undefined) throw new Error('stand-in-child.js runs only as a forked process: use startStandInProcess().');
const options = JSON.parse(process.argv[2]!) as ChildOptions;

let nextId = 1;
const packages = options.catalogue.flatMap(({ type, count, versionsEach }) => {
  const batch = generatedPackages(count, type, nextId, versionsEach);
  nextId += count;
  return batch;
});
const server = await startStandInServer({ ...options.switches, packages });

process.on('message', (command: ThreadCommand) => send(answerCommand(server, command)));
// The parent's exit, however abrupt, closes the channel: the server must not outlive it.
process.on('disconnect', () => process.exit(0));
send({ started: { url: server.url, registryUrl: server.registryUrl } });
