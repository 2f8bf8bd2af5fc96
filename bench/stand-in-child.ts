// The stand-in in a process of its own (see stand-in-process.ts), so that the CPU time and memory a
// benchmark reads from its own process are ghsql's alone, without the server's.

import type { AccountData } from '../dist/stand-in/accounts.js';
import { answerCommand } from '../dist/stand-in/commands.js';
import { DEMO_ORGANIZATION } from '../dist/stand-in/accounts-data.js';
import { generatedPackages, type PackageType } from '../dist/stand-in/packages-data.js';
import { startStandInServer, type StandInSwitches } from '../dist/stand-in/server.js';
import type { ThreadCommand, ThreadMessage } from '../dist/stand-in/thread.js';

/** Generated packages, by type, with `versionsEach` versions each if given; ids run on from one type to the next. */
export type Catalogue = ReadonlyArray<{ type: PackageType; count: number; versionsEach?: number }>;

export interface ChildOptions {
  /** The token's user's packages. */
  catalogue: Catalogue;
  /** Given: the only other account, an organization the token's user administers (DEMO_ORGANIZATION), with these packages. */
  organizationCatalogue?: Catalogue;
  switches: Partial<StandInSwitches>;
}

const send = (message: ThreadMessage) => process.send!(message);

if (process.send === undefined) throw new Error('stand-in-child.js runs only as a forked process: use startStandInProcess().');
const options = JSON.parse(process.argv[2]!) as ChildOptions;

let nextId = 1;
/** Package ids run on across accounts too, so that version ids (package id × VERSION_ID_BLOCK + n) never collide. */
const packagesOf = (catalogue: Catalogue) =>
  catalogue.flatMap(({ type, count, versionsEach }) => {
    const batch = generatedPackages(count, type, nextId, versionsEach);
    nextId += count;
    return batch;
  });
const packages = packagesOf(options.catalogue);
const accounts: AccountData[] | undefined = options.organizationCatalogue && [{ login: DEMO_ORGANIZATION, type: 'Organization', packages: packagesOf(options.organizationCatalogue) }];
const server = await startStandInServer({ ...options.switches, packages, accounts });

process.on('message', (command: ThreadCommand) => send(answerCommand(server, command)));
// The parent's exit, however abrupt, closes the channel: the server must not outlive it.
process.on('disconnect', () => process.exit(0));
send({ started: { url: server.url, registryUrl: server.registryUrl } });
