#!/usr/bin/env node
import Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { register } from '../index.js';
import { startStandIn, type StandIn } from '../stand-in/thread.js';
import { explainError } from './explain-error.js';
import { parseCliArguments, USAGE, UsageError, type CliOptions } from './options.js';
import { formatJson, formatTable, jsonColumnNames, type Row } from './output.js';

async function main(argv: string[]): Promise<number> {
  const options = parseCliArguments(argv);
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (options.version) {
    const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };
    process.stdout.write(`ghsql ${version}\n`);
    return 0;
  }
  if (options.sql === undefined) throw new UsageError(`give a SQL statement.\n\n${USAGE}`);

  const standIn = options.demo ? await startStandIn() : undefined;
  try {
    return run(options.sql, options, standIn);
  } finally {
    await standIn?.close();
  }
}

function run(sql: string, options: CliOptions, standIn: StandIn | undefined): number {
  const db = new Database(':memory:');
  const registration = register(db, {
    token: standIn?.token,
    apiUrl: standIn?.url ?? options.apiUrl,
    concurrency: options.concurrency,
    maxWaitMs: options.maxWaitMs,
    timeoutMs: options.timeoutMs,
    allowWrites: options.allowWrites,
    dryRun: options.dryRun,
    onAction: (record) => process.stderr.write(`${record.action}(${Object.values(record.target).join(', ')}): ${record.outcome}\n`),
  });
  try {
    const statement = db.prepare(sql);
    if (!statement.reader) {
      statement.run();
      return 0;
    }
    const columns = statement.columns();
    const rows = statement.all() as Row[];
    process.stdout.write(
      options.json ? formatJson(rows, jsonColumnNames(columns)) : formatTable(columns.map((column) => column.name), rows),
    );
    return 0;
  } finally {
    void registration.close();
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${explainError(error)}\n`);
    process.exitCode = 1;
  },
);
