import type Database from 'better-sqlite3';
import type { SyncBridge } from '../rpc/sync-client.js';
import { deserializeError, GhsqlError } from '../errors.js';
import type { DefinedAction, DefinedTable } from '../table/define.js';
import type { ActionCall, ActionResult, TableWire } from '../table/wire.js';
import type { Audit } from './audit.js';
import { comparableText } from './sql-values.js';
import type { StatementMemo } from './statement-memo.js';
import type { Statements } from './statement.js';
import type { Wording } from '../wording.js';

export interface ActionOptions {
  allowWrites: boolean;
  /** Names the settings in the message when writes are off. */
  wording: Pick<Wording, 'allowWrites' | 'dryRun'>;
  dryRun: boolean;
  /**
   * A refusal about one target (a kept image needs it, the last version, GitHub's download rule)
   * becomes that row's outcome (`refused: …`) and the statement goes on; a delete of something
   * already gone is `already gone`. Otherwise the first refusal stops the statement.
   */
  keepGoing: boolean;
  /** Where every attempt is recorded, before its request and after (audit.ts). */
  audit: Audit;
}

export type { ActionRecord } from './audit.js';

/** The actions of every resource as SQL functions; what they do is recorded by options.audit. */
export function registerActions(
  db: Database.Database,
  tables: readonly DefinedTable[],
  bridge: SyncBridge<TableWire>,
  memo: StatementMemo,
  statements: Statements,
  options: ActionOptions,
): void {

  for (const table of tables) {
    for (const defined of table.actions) {
      const { action } = defined;
      // directOnly: an action must be written by the user, never hidden in a view or trigger.
      db.function(action.name, { directOnly: true, varargs: true, deterministic: false }, (...values: unknown[]) => {
        const call: ActionCall = {
          table: table.name,
          action,
          args: checkArguments(defined, values),
          guarded: table.resource.guards?.[action.name] !== undefined,
          statement: statements.id(),
          dryRun: options.dryRun,
        };
        if (!options.allowWrites && !options.dryRun) {
          throw new GhsqlError(
            'WRITES_DISABLED',
            `${action.name} changes your packages on GitHub, so it is off by default; enable it with ${options.wording.allowWrites}, or preview with ${options.wording.dryRun}.`,
          );
        }
        if (!statements.inCheckedStatement) {
          throw new GhsqlError(
            'INVALID_ARGUMENT',
            `${action.name} was called from a statement ghsql could not check first: from a TEMP view or TEMP trigger (SQLite lets those call it without naming it), or from db.exec (which runs statements ghsql cannot see one by one). Call it by name in the statement you run, with db.prepare(…).all() or .run() (the CLI does).`,
          );
        }
        if (!options.dryRun) {
          // A write changes GitHub's pages under a list being read, and what the memo keeps.
          bridge.drainOpenStreams();
          memo.clear();
        }
        const entry = options.audit.begin(defined, call.args, { dryRun: options.dryRun });
        try {
          const outcome = outcomeOf(bridge.call(call), options);
          entry.end({ outcome });
          return outcome;
        } catch (error) {
          entry.end({ error });
          throw error;
        }
      });
    }
  }
}

/** The row's outcome for what the action came to; throws what stops the statement. */
function outcomeOf(result: ActionResult, { dryRun, keepGoing }: Pick<ActionOptions, 'dryRun' | 'keepGoing'>): string {
  if (result.kind === 'done') return result.outcome;
  // A dry run is the plan: every call answers, and the real run decides whether a refusal stops it.
  if (dryRun) return result.kind === 'gone' ? 'would be already gone' : `would refuse: ${result.reason}`;
  if (!keepGoing) throw deserializeError(result.error);
  return result.kind === 'gone' ? 'already gone' : `refused: ${result.reason}`;
}

/** Path values that would leave their URL segment. */
const NOT_A_PATH_SEGMENT = new Set(['', '.', '..']);

/** Checks count, NULLs, types and allowed values before anything is sent. */
function checkArguments({ arguments: declared, requiredCount: required, signature }: DefinedAction, values: unknown[]): Record<string, string> {
  if (values.length < required || values.length > declared.length) {
    throw new GhsqlError('INVALID_ARGUMENT', `${signature} takes ${required === declared.length ? required : `${required} to ${declared.length}`} arguments, not ${values.length}.`);
  }
  const args: Record<string, string> = {};
  values.forEach((value, index) => {
    const argument = declared[index]!;
    if (value === null && argument.optional) return;
    if (value === null) throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${argument.name} is NULL; give the ${argument.name} to act on.`);
    const { type } = argument;
    const text = comparableText(type, value);
    if (text === undefined) {
      throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${argument.name} must be ${type === 'INTEGER' ? 'a whole number' : 'text'}, not ${value instanceof Uint8Array ? 'a blob' : JSON.stringify(typeof value === 'bigint' ? String(value) : value)}.`);
    }
    if (!argument.optional && text.trim() === '') throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${argument.name} is empty; give the ${argument.name} to act on.`);
    if (!argument.optional && NOT_A_PATH_SEGMENT.has(text)) {
      throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${argument.name} ${JSON.stringify(text)} is not a name GitHub can have; give the ${argument.name} to act on.`);
    }
    const { allowed } = argument;
    if (allowed && !allowed.includes(text)) {
      throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${argument.name} ${JSON.stringify(text)} is not valid; use one of ${allowed.join(', ')}.`);
    }
    args[argument.name] = text;
  });
  return args;
}
