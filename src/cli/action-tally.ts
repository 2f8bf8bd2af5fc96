/**
 * What a statement's actions came to, from their outcomes (ActionRecord.outcome), for the summary
 * line after it and the exit code: 0 when every action did what it said, EXIT_REFUSED when some were
 * refused (--keep-going), 1 on an error.
 */
export const EXIT_REFUSED = 3;

/** What an outcome says happened, whether it is a dry run's ("would …") or a real run's. */
export interface OutcomeKind {
  kind: 'done' | 'refused' | 'gone' | 'failed';
  dryRun: boolean;
}

/** Reads an action's outcome: `deleted`, `would delete`, `refused: …`, `would refuse: …`, `already gone`, `failed: …`, `unknown: …`. */
export function outcomeKind(outcome: string): OutcomeKind {
  const dryRun = outcome.startsWith('would ');
  if (/^(would refuse|refused): /.test(outcome)) return { kind: 'refused', dryRun };
  if (/already gone$/.test(outcome)) return { kind: 'gone', dryRun };
  if (/^(failed|unknown): /.test(outcome)) return { kind: 'failed', dryRun };
  return { kind: 'done', dryRun };
}

/** What the dry run cannot know without sending the write, named so that nobody takes its plan for a promise. */
const NOT_CHECKED_BY_DRY_RUN = "not checked by a dry run: GitHub's 5,000-download rule and the token's scopes";

export class ActionTally {
  private counts = new Map<string, number>();
  private refusedSinceStart = false;

  /** Starts counting a new statement's actions. */
  reset(): void {
    this.counts = new Map();
  }

  add(outcome: string): void {
    const { kind, dryRun } = outcomeKind(outcome);
    // "would delete" and "deleted" are told apart by what they say, so the summary keeps the words.
    const label = kind === 'done' ? outcome : kind === 'refused' ? (dryRun ? 'would be refused' : 'refused') : kind === 'gone' ? outcome : 'failed';
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
    if (kind === 'refused' && !dryRun) this.refusedSinceStart = true;
  }

  /** One line for the statement's actions, or undefined when it called none. */
  summary(): string | undefined {
    if (this.counts.size === 0) return undefined;
    const parts = [...this.counts].map(([label, count]) => `${count.toLocaleString('en-US')} ${label}`);
    const dryRun = [...this.counts.keys()].some((label) => label.startsWith('would'));
    return dryRun ? `dry run: ${parts.join(', ')} (${NOT_CHECKED_BY_DRY_RUN})` : `actions: ${parts.join(', ')}`;
  }

  /** Whether any action of the session was refused (the exit code says so). */
  get refused(): boolean {
    return this.refusedSinceStart;
  }
}
