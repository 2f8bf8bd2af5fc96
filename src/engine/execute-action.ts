import { GhsqlError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import type { Action } from './resource.js';

/** One action invocation, checked on the SQL thread (actions.ts) and run here in the worker. */
export interface ActionCall {
  action: Action;
  args: Record<string, string>;
}

/** Performs the action's request; returns its outcome text, or throws an error naming the target. */
export async function runAction(client: GitHubClient, call: ActionCall, signal: AbortSignal): Promise<string> {
  const { action } = call;
  const queryNames = action.args.filter((arg) => arg.in === 'query' && call.args[arg.name] !== undefined).map((arg) => arg.name);
  const route = queryNames.length ? `${action.route}{?${queryNames.join(',')}}` : action.route;
  try {
    await client.send({ route, params: call.args }, signal);
    return action.outcome;
  } catch (error) {
    if (!(error instanceof GhsqlError)) throw error;
    const target = action.args
      .filter((arg) => arg.in !== 'query')
      .map((arg) => call.args[arg.name])
      .join('/');
    const reason = error.code === 'NOT_FOUND' ? 'it does not exist, or it is not yours' : error.message;
    throw new GhsqlError(error.code, `${action.name}: ${target}: ${reason}`, error.status);
  }
}
