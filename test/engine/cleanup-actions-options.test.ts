import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, type Registration } from '../../dist/index.js';

/**
 * README's "Every option of the cleanup Actions, in SQL", read from README.md itself so that the
 * table cannot drift from what runs: every SQL cell runs against the demo in a dry run, every
 * flag is one of ghsql's, every Action input one of ghsql's action.yml.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');
const HEADING = '## Every option of the cleanup Actions, in SQL';

/** The inputs of each Action, from its action.yml at the commit the README names. */
const INPUTS: Record<string, string[]> = {
  // dataaxiom/ghcr-cleanup-action action.yml at f092b48ba3b604b2a83690dc4b2bbb3392e1045f
  dataaxiom: [
    'token', 'owner', 'repository', 'package', 'packages', 'expand-packages', 'delete-tags', 'tags', 'exclude-tags',
    'keep-n-untagged', 'keep-n-tagged', 'delete-untagged', 'delete-ghost-images', 'delete-partial-images',
    'delete-orphaned-images', 'older-than', 'use-regex', 'validate', 'dry-run', 'log-level', 'registry-url', 'github-api-url',
  ],
  // snok/container-retention-policy action.yaml at 54bd23d1082d6c3b772bba433c5cfa34c5298445 (v3.1.0)
  snok: ['account', 'token', 'cut-off', 'image-names', 'image-tags', 'skip-shas', 'tag-selection', 'keep-n-most-recent', 'timestamp-to-use', 'dry-run', 'rust-log'],
  // actions/delete-package-versions action.yml at 4dbb860504f6d0cde296a192842138c03915746a (v5)
  'delete-package-versions': [
    'package-version-ids', 'owner', 'package-name', 'package-type', 'num-old-versions-to-delete', 'min-versions-to-keep',
    'ignore-versions', 'delete-only-pre-release-versions', 'delete-only-untagged-versions', 'token',
  ],
};

interface Row {
  action: string;
  option: string;
  /** The "in ghsql" cell, `\|` unescaped. */
  ghsql: string;
  notes: string;
}

function section(): string {
  const readme = read('README.md');
  const start = readme.indexOf(HEADING);
  expect(start, `README.md has the section "${HEADING}"`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + HEADING.length);
  return readme.slice(start, end < 0 ? undefined : end);
}

function tableRows(text: string): Row[] {
  const lines = text.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Action '));
  return lines.map((line) => {
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim().replaceAll('\\|', '|'));
    expect(cells, line).toHaveLength(4);
    const [action = '', option = '', ghsql = '', notes = ''] = cells;
    return { action, option: option.replace(/^`|`$/g, ''), ghsql, notes };
  });
}

/** The statement with the lines between the `region`-th `-- ↓` and the `-- ↑` after it replaced by `line`. */
function withLine(statement: string, region: number, line: string): string {
  const lines = statement.split('\n');
  const starts = lines.flatMap((text, index) => (text.trim().startsWith('-- ↓') ? [index] : []));
  const start = starts[region];
  expect(start, `region ${region} of the statement`).toBeDefined();
  const end = lines.findIndex((text, index) => index > start! && text.trim().startsWith('-- ↑'));
  expect(end).toBeGreaterThan(start!);
  return [...lines.slice(0, start! + 1), `    ${line}`, ...lines.slice(end)].join('\n');
}

const text = section();
const [images = '', versions = '', combined = '', untag = ''] = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!);
const rows = tableRows(text);
/** A row whose cell starts with code is tried; one that starts with words ("The same as …") is not. */
const code = (row: Row) => /^`([^`]+)`/.exec(row.ghsql)?.[1];
const claimsRows = (row: Row) => !row.notes.includes('none on the demo yet');
const label = (row: Row) => `${row.action} ${row.option}: ${code(row) ?? row.ghsql}`;

/** What a row's SQL is: a line of one of the two statements, or a statement of its own. */
function statementOf(row: Row, sql: string): string {
  if (!sql.startsWith('AND ')) return sql;
  if (row.action === 'delete-package-versions') return withLine(versions, 0, sql);
  return withLine(images, row.notes.includes('*packages*') ? 0 : 1, sql);
}

describe('README: every option of the cleanup Actions, in SQL', () => {
  let db: Database.Database;
  let ghsql: Registration;
  beforeAll(() => {
    db = new Database(':memory:');
    ghsql = register(db, { demo: true, dryRun: true, keepGoing: true });
  });
  afterAll(async () => {
    await ghsql.close();
    db.close();
  });

  type Result = Record<string, unknown>;
  /** Runs one statement: a dry run's plan is the statement's (its earlier would-be deletes count as done), so each begins afresh. */
  const run = (sql: string, parameters: Record<string, string | number> = {}): Result[] => {
    ghsql.beginStatement();
    return db.prepare(sql).all(parameters) as Result[];
  };
  /** A dry run's outcomes: what the real run would do, never a write. */
  const outcomes = (result: Result[]) => result.flatMap((row) => ('outcome' in row ? [String(row.outcome)] : []));

  it('lists every input of the three Actions once, and each row says what does it', () => {
    expect(Object.keys(INPUTS).sort()).toEqual([...new Set(rows.map((row) => row.action))].sort());
    for (const [action, inputs] of Object.entries(INPUTS)) {
      expect(rows.filter((row) => row.action === action).map((row) => row.option).sort(), action).toEqual([...inputs].sort());
    }
    for (const row of rows) {
      const sql = code(row);
      if (sql === undefined) expect(row.ghsql, label(row)).toMatch(/^[A-Z]\w/);
      else expect(sql, `${label(row)}: a cell in code is SQL (AND …, SELECT …), -p NAME VALUE, --flag or with: input`).toMatch(/^(AND |SELECT |WITH |-p \S+ \S+$|--[a-z-]+$|with: [a-z-]+$)/);
    }
  });

  it('runs the two statements as the README shows them, in a dry run', () => {
    const imagesPlan = run(images);
    expect(imagesPlan.length).toBeGreaterThan(0);
    expect(new Set(outcomes(imagesPlan))).toEqual(new Set(['would delete']));
    const versionsPlan = run(versions);
    expect(versionsPlan.length).toBeGreaterThan(0);
    expect(new Set(outcomes(versionsPlan))).toEqual(new Set(['would delete']));
  });

  it('combines options as it says: choosing lines with OR, sparing lines with AND', () => {
    const statement = withLine(images, 1, combined.trim());
    const plan = run(statement);
    const tagged = plan.flatMap((row) => JSON.parse(String(row.tags)) as string[]);
    expect(tagged).toEqual(['1.2']);
    expect(plan.filter((row) => row.tags === '[]').length).toBeGreaterThan(0);
    expect(new Set(outcomes(plan))).toEqual(new Set(['would delete']));
  });

  it("does the other half of dataaxiom's delete-tags: untags what an image that keeps other tags matches, and only that", () => {
    const plan = run(untag);
    expect(plan).toEqual([{ package: 'acme/app', tag: 'latest', outcome: 'would untag' }]);
    // The images statement's delete-tags line leaves that image alone: it keeps a tag that does not match.
    const deleteTags = code(rows.find((row) => row.option === 'delete-tags')!)!.replace("'1.[12]'", "'latest'");
    expect(run(withLine(images, 1, deleteTags)).map((row) => row.tags)).toEqual([]);
    // An image all of whose tags match is the delete's, not the untag's.
    expect(run(untag.replace("GLOB 'latest'", "GLOB '1.[12]'"))).toEqual([]);
    const deleted = run(withLine(images, 1, code(rows.find((row) => row.option === 'delete-tags')!)!)).map((row) => String(row.tags));
    expect(deleted.filter((tags) => tags !== '[]').sort()).toEqual(['["1.1"]', '["1.2"]']); // with the untagged children only they need
  });

  const sqlRows = rows.filter((row) => /^(AND |SELECT |WITH )/.test(code(row) ?? ''));
  it.each(sqlRows.map((row) => [label(row), row] as const))('%s', (_label, row) => {
    const result = run(statementOf(row, code(row)!));
    if (claimsRows(row)) expect(result.length, 'the row claims rows on the demo').toBeGreaterThan(0);
    for (const outcome of outcomes(result)) expect(outcome).toMatch(/^would (delete|refuse: )/);
  });

  it('runs sql/prune-org-container-versions.sql with each -p the table names', () => {
    const report = read('sql/prune-org-container-versions.sql');
    const defaults = { org: 'acme-corp', package: 'platform/edge-proxy', keep: 5, older_than_days: 90 };
    const parameterRows = rows.filter((row) => code(row)?.startsWith('-p '));
    expect(parameterRows.length).toBeGreaterThan(0);
    for (const row of parameterRows) {
      const [, name = '', value = ''] = code(row)!.split(' ');
      expect(Object.keys(defaults), label(row)).toContain(name);
      const result = run(report, { ...defaults, [name]: /^\d+$/.test(value) ? Number(value) : value });
      expect(result.length, label(row)).toBeGreaterThan(0);
      expect(new Set(outcomes(result)), label(row)).toEqual(new Set(['would delete']));
    }
  });

  it("names only flags of ghsql's --help and inputs of ghsql's action.yml", async () => {
    const { stdout: help } = await promisify(execFile)(process.execPath, [`${ROOT}dist/cli/main.js`, '--help'], { timeout: 20_000 });
    const actionYml = read('action.yml');
    for (const row of rows) {
      const cell = code(row) ?? '';
      if (cell.startsWith('--')) expect(help, label(row)).toMatch(new RegExp(`^\\s+${cell}\\b`, 'm'));
      if (cell.startsWith('with: ')) expect(actionYml, label(row)).toMatch(new RegExp(`^  ${cell.slice('with: '.length)}:$`, 'm'));
      // Inputs the notes name ("ghsql's Action has `api-url`") are the Action's too.
      for (const input of row.notes.matchAll(/ghsql's Action has `([a-z-]+)`/g)) expect(actionYml, label(row)).toMatch(new RegExp(`^  ${input[1]}:$`, 'm'));
    }
  });
});
