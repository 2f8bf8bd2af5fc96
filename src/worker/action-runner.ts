import { GhsqlError, serializeError } from '../errors.js';
import type { GitHubClient } from '../github/client.js';
import { readWholeList, type RowConverters, type WorkerContext } from './read-plan.js';
import { actionArguments, pathParameters, type GuardContext, type PerformContext } from '../table/types.js';
import { refusalAdvice, tokenKind } from '../github/token-kind.js';
import type { ActionCall, ActionResult } from '../table/wire.js';

/**
 * Runs actions in the worker: the action's guard, if it has one, then its request. Returns the
 * outcome text, or throws an error naming the target and what to do.
 */
export class ActionRunner {
  /** What guards keep for the statement `statementId`. */
  private readonly kept = new Map<string, unknown>();
  /** The targets a dry run of statement `statementId` would have deleted so far (path values joined by '/'). */
  private readonly planned = new Set<string>();
  private statementId = -1;

  constructor(
    private readonly client: GitHubClient,
    private readonly converters: RowConverters,
    /** Its registry may push: a performer's work (removing a tag) does. */
    private readonly context: WorkerContext & Pick<PerformContext, 'registry'>,
  ) {}

  async run(call: ActionCall, signal: AbortSignal): Promise<ActionResult> {
    const { action } = call;
    if (call.statement !== this.statementId) {
      this.kept.clear();
      this.planned.clear();
      this.statementId = call.statement;
    }
    const declared = actionArguments(action);
    // Local arguments (an override) are the guard's; the other optional ones are query values.
    const queryNames = declared.filter((argument) => argument.optional && !argument.local && call.args[argument.name] !== undefined).map((argument) => argument.name);
    const params = Object.fromEntries(Object.entries(call.args).filter(([name]) => !declared.find((argument) => argument.name === name)?.local));
    const secrets = declared.filter((argument) => argument.secret).map((argument) => argument.name);
    const target = declared
      .filter((argument) => !argument.optional)
      .map((argument) => call.args[argument.name])
      .join('/');
    try {
      const after = call.guarded ? await this.guard(call, signal) : undefined;
      if (action.route === undefined) {
        const outcome = await this.perform(call, signal);
        // It may have changed the package's versions, which makes what guards kept stale.
        if (!call.dryRun) this.kept.clear();
        return { kind: 'done', outcome };
      }
      if (call.dryRun) {
        await this.predictLastItem(call, target, signal);
        // The plan goes on as if this delete were done: later calls of the statement see it gone.
        after?.();
        this.planned.add(target);
        return { kind: 'done', outcome: action.dryRunOutcome };
      }
      const route = queryNames.length ? `${action.route}{?${queryNames.join(',')}}` : action.route;
      await this.client.send({ route, params, secretParams: secrets }, signal);
      // A change no guard accounted for makes what guards kept stale.
      if (after) after();
      else this.kept.clear();
      return { kind: 'done', outcome: action.outcome };
    } catch (error) {
      if (!(error instanceof GhsqlError)) throw error;
      const refusal = action.refusals?.find((candidate) => error.status === (candidate.status ?? 400) && error.message.toLowerCase().includes(candidate.when));
      const gone = error.code === 'NOT_FOUND';
      // GitHub's 404 says nothing more but what the token's kind needs (the workflow token: its repository's access); a guard's NOT_FOUND says what it read.
      const reason = gone && error.status === 404 && action.route ? this.notFoundReasonFor(action.route) : refusal ? `GitHub refuses: ${refusal.explain}` : error.message;
      const stated = new GhsqlError(error.code, `${action.name}: ${target}: ${reason}`, error.status);
      // About this one target: the statement may take it as the row's outcome (keep-going).
      if (gone) return { kind: action.outcome === 'deleted' ? 'gone' : 'refused', reason, error: serializeError(stated) };
      if (refusal || error.code === 'PROTECTED') return { kind: 'refused', reason: error.code === 'PROTECTED' ? error.message : reason, error: serializeError(stated) };
      throw stated;
    }
  }

  /** A 404 to an action: the target is gone or out of reach, and for some token kinds, what would reach it. */
  private notFoundReasonFor(route: string): string {
    const [method = '', path = ''] = route.split(' ');
    const advice = refusalAdvice({ method, target: path, status: 404, kind: tokenKind(this.client.options.token) });
    return `it does not exist, or it is not yours${advice === undefined ? '' : `. ${advice}`}`;
  }

  /**
   * For a dry run: GitHub's refusal to delete the last item of a list (Action.lastItemOf), predicted
   * from the list as it is now less the statement's earlier would-be deletes; NOT_FOUND when the
   * target is not in it (already gone).
   */
  private async predictLastItem(call: ActionCall, target: string, signal: AbortSignal): Promise<void> {
    const { action } = call;
    const last = action.lastItemOf;
    if (!last) return;
    const listPath = target.slice(0, target.lastIndexOf('/'));
    const listValues = Object.fromEntries(pathParameters(last.list.route).map((name) => [name, call.args[name]!]));
    const items = await readWholeList(this.client, this.converters, call.table, last.list, listValues, signal);
    const remaining = items.map((item) => `${listPath}/${String(item[last.id])}`).filter((item) => !this.planned.has(item));
    if (!remaining.includes(target)) throw new GhsqlError('NOT_FOUND', 'not in the list', 404);
    const refusal = action.refusals?.find((candidate) => candidate.when === last.refusal);
    if (remaining.length === 1 && refusal) throw new GhsqlError('HTTP', refusal.when, refusal.status ?? 400);
  }

  private async guard(call: ActionCall, signal: AbortSignal): Promise<void | (() => void)> {
    const { resource } = await this.converters.for(call.table);
    const guard = resource.guards?.[call.action.name];
    if (!guard) throw new GhsqlError('INTERNAL', `ghsql's worker has no guard for ${call.action.name}`);
    return guard(call.args, this.guardContext(call, signal));
  }

  /** An action without a route: its resource's performer carries it out (Resource.performers). */
  private async perform(call: ActionCall, signal: AbortSignal): Promise<string> {
    const { resource } = await this.converters.for(call.table);
    const performer = resource.performers?.[call.action.name];
    if (!performer) throw new GhsqlError('INTERNAL', `ghsql's worker has no performer for ${call.action.name}`);
    return performer(call.args, {
      ...this.guardContext(call, signal),
      registry: this.context.registry,
      dryRun: call.dryRun,
      send: async (route, params) => {
        await this.client.send({ route, params }, signal);
      },
    });
  }

  private guardContext(call: ActionCall, signal: AbortSignal): GuardContext {
    return {
      ...this.context,
      signal,
      statement: this.kept,
      list: (method, params) => readWholeList(this.client, this.converters, call.table, method, params, signal),
    };
  }
}
