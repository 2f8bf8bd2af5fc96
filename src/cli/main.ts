#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { EXIT_REFUSED } from './action-tally.js';
import { explainError } from './explain-error.js';
import { packageVersion, parseCliArguments, USAGE, UsageError, type CliOptions } from './options.js';
import type { Session } from './session.js';
import { StatusLine } from './status-line.js';
import { asError, stderrWriter, StdoutError, stdoutSink, styleFor } from './terminal.js';

/** Where the statements come from. */
type Input = { kind: 'text'; text: string } | { kind: 'file'; path: string } | { kind: 'stdin' } | { kind: 'shell' };

function chooseInput(options: CliOptions): Input {
  if (options.sql !== undefined) return { kind: 'text', text: options.sql };
  if (options.file !== undefined) return { kind: 'file', path: options.file };
  return process.stdin.isTTY ? { kind: 'shell' } : { kind: 'stdin' };
}

async function main(argv: string[]): Promise<number> {
  const options = parseCliArguments(argv);
  if (options.help) {
    stdoutSink().write(USAGE);
    return 0;
  }
  if (options.version) {
    stdoutSink().write(`ghsql ${packageVersion()}\n`);
    return 0;
  }
  const input = chooseInput(options);
  let session: Session | undefined;
  try {
    // Loaded only when used, to keep `ghsql --help` quick. --demo is register()'s demo: the stand-in
    // starts in ghsql's HTTP worker with the first query, and `SELECT 1` starts none.
    const { Session } = await import('./session.js');
    session = new Session({ database: options.database, settings: options.settings, params: options.params, client: options.client, display: options.display });
    if (input.kind === 'shell') {
      const { runShell } = await import('./shell.js');
      await runShell(session, greeting(options));
      return 0;
    }
    return runInput(session, input);
  } finally {
    await session?.close();
  }
}

/**
 * Runs a script to its end or first error; the error is printed here and makes the exit code 1.
 * Refusals taken as outcomes (--keep-going) make it EXIT_REFUSED.
 */
function runInput(session: Session, input: Exclude<Input, { kind: 'shell' }>): number {
  try {
    // .quit ends a script early; that is not a failure, so the outcome does not matter here.
    if (input.kind === 'file') session.runFile(input.path);
    else if (input.kind === 'stdin') session.runScript(readFileSync(0, 'utf8'), 'stdin');
    else session.runScript(input.text);
    return session.actions.refused ? EXIT_REFUSED : 0;
  } catch (error) {
    if (error instanceof StdoutError) throw error; // not the script's error: main ends on it
    session.reportError(error);
    return 1;
  }
}

function greeting(options: CliOptions): string {
  const lines = [
    `ghsql ${packageVersion()}: GitHub's REST API as SQLite tables. End statements with ";".`,
    '.help lists the commands, .tables the tables, .schema auth_user_packages its columns.',
  ];
  if (options.demo) lines.push('Demo: a GitHub stand-in on this machine plays the account octo-demo; nothing goes to github.com.');
  if (options.database) {
    const audit = options.client.allowWrites || options.client.dryRun ? '; every action is kept in its table ghsql_audit' : '';
    lines.push(`Database: ${options.database} (your tables join with GitHub's${audit}).`);
  }
  return `${lines.join('\n')}\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A reader that stopped reading (`| head`) got what it asked for: not a failure, and nothing to say.
    if (error instanceof StdoutError && error.readerLeft) return;
    const message = error instanceof UsageError || error instanceof StdoutError ? error.message : explainError(error);
    // Through a StatusLine as every stderr line, for its escaping: the message may quote what was typed.
    const stderr = stderrWriter();
    const style = styleFor(stderr);
    new StatusLine(stderr, style).message(message, asError(style));
    process.exitCode = 1;
  },
);
