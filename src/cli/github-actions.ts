import { appendFileSync } from 'node:fs';
import type { ActionRecord } from '../index.js';
import { outcomeKind } from './action-tally.js';
import { formatMarkdown } from './formats/markdown.js';
import type { ResultSet } from './formats/result.js';
import { plural } from '../index.js';

/** Rows of the last result shown in the job summary; the rest are counted. */
const SUMMARY_ROWS = 500;

type Kind = 'deleted' | 'restored' | 'would_delete' | 'would_restore' | 'refused' | 'already_gone' | 'failed';

/** How an outcome counts in the step's outputs: a dry run's refusals count as refused, its plan as would_…. */
function kindOf(outcome: string): Kind {
  const { kind } = outcomeKind(outcome);
  if (kind === 'done') return outcome.replace(' ', '_') as Kind; // deleted, restored, would delete, would restore
  return kind === 'gone' ? 'already_gone' : kind;
}

/**
 * GitHub Actions' conventions, so that ghsql is a step of a workflow as it is: with
 * GITHUB_ACTIONS=true, a job summary ($GITHUB_STEP_SUMMARY: what was deleted, refused and failed, and
 * the result rows as a table), the step's outputs ($GITHUB_OUTPUT: counts and the targets as JSON),
 * refusals as ::warning:: and errors as ::error:: annotations. They are written when the run ends,
 * whether its statements succeeded or not.
 */
export class GitHubActionsReport {
  private readonly actions: Array<ActionRecord & { kind: Kind }> = [];
  private lastResult: ResultSet | undefined;
  private error: string | undefined;

  private constructor(
    private readonly summaryFile: string | undefined,
    private readonly outputFile: string | undefined,
    private readonly annotate: (line: string) => void,
  ) {}

  /** A report when running in GitHub Actions, else undefined. */
  static fromEnvironment(env: NodeJS.ProcessEnv, annotate: (line: string) => void): GitHubActionsReport | undefined {
    if (env['GITHUB_ACTIONS'] !== 'true') return undefined;
    return new GitHubActionsReport(env['GITHUB_STEP_SUMMARY'] || undefined, env['GITHUB_OUTPUT'] || undefined, annotate);
  }

  action(record: ActionRecord): void {
    const kind = kindOf(record.outcome);
    this.actions.push({ ...record, kind });
    if (kind === 'refused') this.annotate(command('warning', `${record.action}(${Object.values(record.target).join(', ')}): ${record.outcome}`));
  }

  result(result: ResultSet): void {
    this.lastResult = result;
  }

  failed(message: string): void {
    this.error = message;
    this.annotate(command('error', message));
  }

  /** Writes the summary and the outputs. */
  finish(): void {
    const counts = new Map<Kind, number>();
    for (const { kind } of this.actions) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    const targets: Partial<Record<Kind, Array<Record<string, string>>>> = {};
    for (const { kind, target } of this.actions) (targets[kind] ??= []).push(target);
    if (this.outputFile) {
      const outputs = [
        ...(['deleted', 'refused', 'failed', 'would_delete', 'restored', 'already_gone'] as const).map((kind) => `${kind}=${counts.get(kind) ?? 0}`),
        `targets=${JSON.stringify(targets)}`,
        `error=${this.error === undefined ? '' : this.error.replace(/\r?\n/g, ' ')}`,
      ];
      appendFileSync(this.outputFile, `${outputs.join('\n')}\n`);
    }
    if (this.summaryFile) appendFileSync(this.summaryFile, this.summary(counts));
  }

  private summary(counts: ReadonlyMap<Kind, number>): string {
    const lines = ['## ghsql', ''];
    if (this.error !== undefined) lines.push(`**Failed:** ${escapeMarkdown(this.error)}`, '');
    if (this.actions.length > 0) {
      lines.push([...counts].map(([kind, count]) => `${count} ${kind.replace('_', ' ')}`).join(', '), '');
      for (const kind of ['refused', 'failed'] as const) {
        const rows = this.actions.filter((action) => action.kind === kind);
        if (rows.length === 0) continue;
        lines.push(`### ${kind === 'refused' ? 'Refused' : 'Failed'}`, '');
        for (const row of rows) lines.push(`- \`${row.action}(${Object.values(row.target).join(', ')})\`: ${escapeMarkdown(row.outcome)}`);
        lines.push('');
      }
    }
    const result = this.lastResult;
    if (result && result.rows.length > 0) {
      const shown = { ...result, rows: result.rows.slice(0, SUMMARY_ROWS) };
      lines.push(`### Result (${plural(result.rows.length, 'row')})`, '', formatMarkdown(shown).trimEnd(), '');
      if (result.rows.length > SUMMARY_ROWS) lines.push(`…and ${result.rows.length - SUMMARY_ROWS} more rows.`, '');
    }
    return `${lines.join('\n')}\n`;
  }
}

/** A workflow command, with its data escaped as the runner expects (%, CR, LF). */
function command(name: 'warning' | 'error', message: string): string {
  return `::${name}::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[<>]/g, (char) => (char === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}
