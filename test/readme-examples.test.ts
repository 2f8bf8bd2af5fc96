// Every SQL query README.md shows runs against the demo, and every query among them finds rows
// there: its ```sql blocks, the statements of its `npx ghsql "…"` lines, and the examples of its
// table of tables. Writes run as a dry run (they are shown, not done). A statement that needs what
// the demo cannot give says so in NO_ROWS_ON_THE_DEMO, with the reason.

import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { register } from '../dist/index.js';
import { ROOT } from './cli/helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Statements of a text, split at `;` outside quotes, with `--` comments removed. */
export function statementsOf(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quote) {
      current += character;
      if (character === quote) quote = undefined;
    } else if (character === "'" || character === '"') {
      quote = character;
      current += character;
    } else if (character === '-' && text[index + 1] === '-') {
      while (index < text.length && text[index] !== '\n') index++;
      current += '\n';
    } else if (character === ';') {
      statements.push(current.trim());
      current = '';
    } else {
      current += character;
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements.filter((statement) => statement.length > 0);
}

/** Where each statement comes from, for the test's name: `README.md:LINE`. */
interface Example {
  where: string;
  sql: string;
}

const lineOf = (index: number) => README.slice(0, index).split('\n').length;

function sqlBlocks(): Example[] {
  return [...README.matchAll(/```sql\n([\s\S]*?)```/g)].flatMap((match) => statementsOf(match[1]!).map((sql) => ({ where: `README.md:${lineOf(match.index!)}`, sql })));
}

/** `npx ghsql [flags] "SQL"` lines of the shell blocks whose statement needs no file of the user's. */
function commandLines(): Example[] {
  return [...README.matchAll(/^(?:npm ci && )?npx ghsql [^"\n]*"([^"]+)"/gm)]
    .filter((match) => !/--db /.test(match[0]))
    .map((match) => ({ where: `README.md:${lineOf(match.index!)}`, sql: match[1]! }));
}

/** The table of tables: its last column's example, completed with the table when it starts with `…`. */
function tableOfTables(): Example[] {
  return [...README.matchAll(/^\| `(\w+)` \|.*\| `((?:SELECT|…) [^`]+)` \|$/gm)].map((match) => ({
    where: `README.md:${lineOf(match.index!)}`,
    sql: match[2]!.startsWith('…') ? `SELECT * FROM ${match[1]} ${match[2]!.slice(1).trim()}` : match[2]!,
  }));
}

/** Queries the demo cannot answer with rows, and why; anything else must find some. */
const NO_ROWS_ON_THE_DEMO: Record<string, string> = {
  'SELECT * FROM ghsql_actions': 'a fresh session has done no action',
  [`SELECT restore_package_version_for_org(owner, package_type, package_name, package_version_id)
  FROM ghsql_audit
 WHERE action = 'delete_package_version_for_org' AND outcome = 'deleted'
   AND datetime(time) >= datetime('now', '-1 day')`]: 'a new audit holds no delete',
};

// A database file, as the README's audit examples need (ghsql_audit lives in files only).
const directory = mkdtempSync(join(tmpdir(), 'ghsql-readme-'));
const db = new Database(join(directory, 'examples.db'));
register(db, { demo: true, dryRun: true });
afterAll(() => {
  db.close();
  rmSync(directory, { recursive: true, force: true });
});

// Whole statements only: dot-commands (.graph) have their own tests, and the option lines of the
// cleanup Actions' table (`AND …`, put into a statement) have theirs (cleanup-actions-options.test.ts).
const examples = [...sqlBlocks(), ...commandLines(), ...tableOfTables()].filter((example) => /^(SELECT|WITH)\b/i.test(example.sql));

describe("README.md's SQL, on the demo", () => {
  it('has examples to run', () => {
    expect(examples.length).toBeGreaterThan(20);
  });

  it.each(examples.map((example) => [example.where, example.sql.replace(/\s+/g, ' ')]))('%s: %s', (_, sql) => {
    const rows = db.prepare(sql).all();
    const reason = NO_ROWS_ON_THE_DEMO[examples.find((example) => example.sql.replace(/\s+/g, ' ') === sql)!.sql];
    if (reason === undefined) expect(rows.length, 'a query the README shows finds rows on the demo').toBeGreaterThan(0);
  });
});
