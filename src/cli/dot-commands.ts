import { exportResult } from './export.js';
import { FORMAT_NAMES, isFormatName } from './formats/index.js';
import { GRAPH_USAGE, runGraph } from './graph-command.js';
import { describeSchema, listTables } from './schema.js';
import type { Outcome, Session } from './session.js';
import { fileSink, stdoutSink } from './terminal.js';

interface DotCommand {
  usage: string;
  summary: string;
  /** Argument counts accepted; `rest`: one argument, the rest of the line as typed (SQL). */
  arguments: [min: number, max: number] | 'rest';
  run(session: Session, args: string[]): Outcome | void;
}

const switchCommand = (setting: 'headers' | 'timer' | 'trace', summary: string): DotCommand => ({
  usage: `.${setting} on|off`,
  summary,
  arguments: [0, 1],
  run(session, [value]) {
    if (value === undefined) return session.info(`${setting}: ${session.settings[setting] ? 'on' : 'off'}`);
    session.settings[setting] = onOff(`.${setting}`, value);
  },
});

/** In the spirit of the sqlite3 shell's; each works in the shell, in -f files and on stdin. */
const COMMANDS = new Map<string, DotCommand>(Object.entries({
  help: {
    usage: '.help',
    summary: 'show this list',
    arguments: [0, 0],
    run: (session) => session.print(helpText()),
  },
  tables: {
    usage: '.tables [PATTERN]',
    summary: "list ghsql's tables and yours (PATTERN as in LIKE)",
    arguments: [0, 1],
    run: (session, [pattern]) => session.print(listTables(session.db, pattern)),
  },
  schema: {
    usage: '.schema [TABLE]',
    summary: 'columns with descriptions and required parameters; your tables as SQL',
    arguments: [0, 1],
    run: (session, [table]) => session.print(describeSchema(session.db, table)),
  },
  mode: {
    usage: `.mode ${FORMAT_NAMES.join('|')}`,
    summary: 'how results are printed',
    arguments: [0, 1],
    run(session, [format]) {
      if (format === undefined) return session.info(`mode: ${session.settings.format}`);
      if (!isFormatName(format)) throw new Error(`.mode ${format} is not a mode; use one of ${FORMAT_NAMES.join(', ')}.`);
      session.settings.format = format;
    },
  },
  headers: switchCommand('headers', 'column names above table and csv results'),
  output: {
    usage: '.output [FILE]',
    summary: 'send results to FILE (replacing it); no FILE: back to the screen',
    arguments: [0, 1],
    run: (session, [file]) => session.setOutput(file === undefined ? stdoutSink(session.display) : fileSink(file)),
  },
  read: {
    usage: '.read FILE',
    summary: 'run the statements and dot-commands in FILE',
    arguments: [1, 1],
    run: (session, [file]) => session.runFile(file!),
  },
  export: {
    usage: '.export FILE [TABLE]',
    summary: 'save the last results: FILE.sqlite/.db gets TABLE (default results); .csv .json .ndjson .md; .txt a bar chart; .html a page with charts',
    arguments: [1, 2],
    run(session, [file, table]) {
      if (!session.lastResult) throw new Error('.export saves the rows of the last query, and none has run yet; run a SELECT first.');
      session.info(exportResult(session.lastResult, file!, table, session.display.width || undefined));
    },
  },
  graph: {
    usage: GRAPH_USAGE,
    summary: "draw container packages' image graphs (a page; Mermaid, DOT); --plan marks the last results' versions keep/delete/refused",
    arguments: [0, Number.POSITIVE_INFINITY],
    run: (session, args) => runGraph(session, args),
  },
  snapshot: {
    usage: '.snapshot TABLE AS SELECT …',
    summary: 'append the rows, with a taken_at column, to TABLE (created on first use): history in your --db file',
    arguments: 'rest',
    run(session, [rest]) {
      const match = /^("(?:[^"]|"")+"|[^\s"]+)\s+AS\s+(\S[\s\S]*)$/i.exec(rest!.trim());
      if (!match) throw new Error('usage: .snapshot TABLE AS SELECT …, e.g. .snapshot containers AS SELECT name, version_count FROM auth_user_packages WHERE package_type = \'container\'');
      const name = match[1]!.startsWith('"') ? match[1]!.slice(1, -1).replace(/""/g, '"') : match[1]!;
      session.snapshot(name, match[2]!);
    },
  },
  timer: switchCommand('timer', 'show how long each statement took'),
  trace: switchCommand('trace', 'show each HTTP request, and a summary after each statement'),
  quit: { usage: '.quit', summary: 'leave (Ctrl-D too)', arguments: [0, 0], run: () => 'quit' },
  exit: { usage: '.exit', summary: 'same as .quit', arguments: [0, 0], run: () => 'quit' },
} satisfies Record<string, DotCommand>));

export function runDotCommand(session: Session, line: string): Outcome {
  const [name = '', ...args] = splitArguments(line.slice(1));
  const command = COMMANDS.get(name);
  if (!command) throw new Error(`unknown command .${name}; .help lists the commands.`);
  if (command.arguments === 'rest') return command.run(session, [line.slice(1 + name.length)]) ?? 'continue';
  const [min, max] = command.arguments;
  if (args.length < min || args.length > max) throw new Error(`usage: ${command.usage}`);
  return command.run(session, args) ?? 'continue';
}

function helpText(): string {
  const commands = [...COMMANDS.values()];
  const width = Math.max(...commands.map((command) => command.usage.length));
  return commands
    .map((command) => `${command.usage.padEnd(width)}  ${command.summary}\n`)
    .join('');
}

function onOff(command: string, value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`${command} takes on or off, not ${value}.`);
}

/** Words separated by blanks; '…' or "…" keep blanks in a word (file names). */
function splitArguments(text: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (const match of text.matchAll(pattern)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}
