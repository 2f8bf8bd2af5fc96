import { GhsqlError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import { actionArguments, type Action } from './resource.js';

/** One action invocation, checked on the SQL thread (actions.ts) and run here in the worker. */
export interface ActionCall {
  action: Action;
  args: Record<string, string>;
}

/** Performs the action's request; returns its outcome text, or throws an error naming the target and what to do. */
export async function runAction(client: GitHubClient, call: ActionCall, signal: AbortSignal): Promise<string> {
  const { action } = call;
  const declared = actionArguments(action);
  const queryNames = declared.filter((argument) => argument.optional && call.args[argument.name] !== undefined).map((argument) => argument.name);
  const route = queryNames.length ? `${action.route}{?${queryNames.join(',')}}` : action.route;
  const secrets = declared.filter((argument) => argument.secret).map((argument) => argument.name);
  try {
    await client.send({ route, params: call.args, secretParams: secrets }, signal);
    return action.outcome;
  } catch (error) {
    if (!(error instanceof GhsqlError)) throw error;
    const target = declared
      .filter((argument) => !argument.optional)
      .map((argument) => call.args[argument.name])
      .join('/');
    const refusal = action.refusals?.find((candidate) => error.status === (candidate.status ?? 400) && error.message.toLowerCase().includes(candidate.when));
    const reason = error.code === 'NOT_FOUND' ? 'it does not exist, or it is not yours' : refusal ? `GitHub refuses: ${refusal.explain}` : error.message;
    throw new GhsqlError(error.code, `${action.name}: ${target}: ${reason}`, error.status);
  }
}
