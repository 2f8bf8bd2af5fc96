import type Database from 'better-sqlite3';
import type { SyncBridge } from '../bridge/sync-bridge.js';
import { GhsqlError } from '../errors.js';
import type { ActionCall } from './execute-action.js';
import type { Action, Resource } from './resource.js';
import type { StatementMemo } from './statement-memo.js';

export interface ActionOptions {
  allowWrites: boolean;
  dryRun: boolean;
  /** Told of every action performed or attempted (the CLI prints one line each to stderr). */
  onAction?: (record: ActionRecord) => void;
}

export interface ActionRecord {
  time: string;
  action: string;
  /** The action's path arguments by name (package_type, package_name). */
  target: Record<string, string>;
  outcome: string;
}

/**
 * The actions of every resource as SQL functions, and `ghsql_actions`, a table of what they did.
 * SQLite forbids writing to the database from inside a function call, so the log is kept in memory
 * and shown through a virtual table.
 */
export function registerActions(
  db: Database.Database,
  resources: readonly Resource[],
  bridge: SyncBridge,
  memo: StatementMemo,
  options: ActionOptions,
): void {
  const log: ActionRecord[] = [];
  const record = (fields: Omit<ActionRecord, 'time'>) => {
    // When it happened: writes are spaced, so the call may have waited before its request.
    const entry = { time: new Date().toISOString(), ...fields };
    log.push(entry);
    options.onAction?.(entry);
  };

  for (const resource of resources) {
    for (const action of resource.actions) {
      // directOnly: an action must be written by the user, never hidden in a view or trigger.
      db.function(action.name, { directOnly: true, varargs: true, deterministic: false }, (...values: unknown[]) => {
        const call: ActionCall = { action, args: checkArguments(resource, action, values) };
        if (!options.allowWrites && !options.dryRun) {
          throw new GhsqlError(
            'WRITES_DISABLED',
            `${action.name} changes your packages on GitHub, so it is off by default; enable it with --allow-writes (CLI) or register(db, { allowWrites: true }), or preview with --dry-run.`,
          );
        }
        const target = pathArguments(action, call.args);
        if (options.dryRun) {
          record({ action: action.name, target, outcome: action.dryRunOutcome });
          return action.dryRunOutcome;
        }
        bridge.drainOpenStreams();
        memo.clear();
        try {
          const outcome = bridge.call(call) as string;
          record({ action: action.name, target, outcome });
          return outcome;
        } catch (error) {
          record({ action: action.name, target, outcome: `failed: ${error instanceof Error ? error.message : String(error)}` });
          throw error;
        }
      });
    }
  }

  const targetColumns = [...new Set(resources.flatMap((resource) => resource.actions.flatMap((action) => action.args.filter((arg) => arg.in !== 'query').map((arg) => arg.name))))];
  db.table('ghsql_actions', {
    columns: ['time', 'action', ...targetColumns, 'outcome'],
    *rows() {
      for (const entry of log) yield [entry.time, entry.action, ...targetColumns.map((name) => entry.target[name] ?? null), entry.outcome];
    },
  });
}

function pathArguments(action: Action, args: Record<string, string>): Record<string, string> {
  return Object.fromEntries(action.args.filter((arg) => arg.in !== 'query' && args[arg.name] !== undefined).map((arg) => [arg.name, args[arg.name]!]));
}

/** Checks count, NULLs and allowed values before anything is sent. */
function checkArguments(resource: Resource, action: Action, values: unknown[]): Record<string, string> {
  const signature = `${action.name}(${action.args.map((arg, i) => (i < action.required ? arg.name : `[${arg.name}]`)).join(', ')})`;
  if (values.length < action.required || values.length > action.args.length) {
    throw new GhsqlError('INVALID_ARGUMENT', `${signature} takes ${action.required === action.args.length ? action.required : `${action.required} to ${action.args.length}`} arguments, not ${values.length}.`);
  }
  const args: Record<string, string> = {};
  values.forEach((value, index) => {
    const arg = action.args[index]!;
    if (value === null || value === undefined || String(value).trim() === '') {
      if (index < action.required) throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${arg.name} is ${value === null ? 'NULL' : 'empty'}; give the ${arg.name} to act on.`);
      return;
    }
    const text = String(value);
    const allowed = resource.parameters.find((parameter) => parameter.column === arg.parameter)?.values;
    if (allowed && !allowed.includes(text)) {
      throw new GhsqlError('INVALID_ARGUMENT', `${signature}: ${arg.name} ${JSON.stringify(text)} is not valid; use one of ${allowed.join(', ')}.`);
    }
    args[arg.name] = text;
  });
  return args;
}
