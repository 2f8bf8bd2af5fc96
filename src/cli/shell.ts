import { createInterface } from 'node:readline';
import { clearInterrupt, interruptPending, plural } from '../index.js';
import { GhsqlError } from '../index.js';
import { CtrlCWatcher } from './ctrl-c.js';
import { HISTORY_SIZE, historyPath, ShellHistory } from './history.js';
import { ScriptReader, type ScriptItem } from './script.js';
import { redactSecrets } from './secrets.js';
import type { Outcome, Session } from './session.js';
import { StdoutError } from './terminal.js';

const PROMPT = 'ghsql> ';
const CONTINUATION = '   ...> ';

/**
 * The interactive shell: statements end with `;` and may span lines, dot-commands take one line,
 * Ctrl-C drops the statement being typed or stops the one running (ctrl-c.ts), Ctrl-D (on an empty
 * line) or .quit leaves. Statements run synchronously; keys typed meanwhile are kept and reach
 * readline afterwards, in order.
 */
export function runShell(session: Session, greeting: string): Promise<void> {
  // Started before the first prompt, so that Ctrl-C works from the first statement on.
  const ctrlC = CtrlCWatcher.start(session.interruptHandle);
  const history = new ShellHistory(historyPath(), (message) => session.info(message), (statement) => redactSecrets(statement).text);
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    history: history.load(),
    historySize: HISTORY_SIZE,
    prompt: PROMPT,
  });
  history.follow(rl);
  const reader = new ScriptReader();
  const prompt = () => {
    rl.setPrompt(reader.isPending ? CONTINUATION : PROMPT);
    rl.prompt();
  };

  /** Bytes typed while statements ran, handed to readline once the line that ran them is done. */
  const typedAhead: Buffer[] = [];
  let handBackScheduled = false;
  const handBackTypedAhead = () => {
    if (typedAhead.length === 0 || handBackScheduled) return;
    handBackScheduled = true;
    // After this 'line' handler and the rest of readline's current chunk, before the event loop
    // reads the terminal again, and in one piece: the keys arrive in the order they were typed.
    process.nextTick(() => {
      handBackScheduled = false;
      process.stdin.unshift(Buffer.concat(typedAhead.splice(0)));
    });
  };
  /**
   * Runs one statement or dot-command while Ctrl-C can stop it. `stopped`: it was interrupted, or a
   * Ctrl-C came that nothing took (the statement was busy inside SQLite and then ended): either way
   * the user wants the rest of the line not to run.
   */
  const execute = (item: ScriptItem): { outcome: Outcome; stopped: boolean } => {
    ctrlC?.arm();
    try {
      const outcome = session.execute(item);
      return { outcome, stopped: interruptPending(session.interruptHandle) };
    } finally {
      const typed = ctrlC?.disarm();
      if (typed && typed.length > 0) typedAhead.push(typed);
      clearInterrupt(session.interruptHandle);
    }
  };

  process.stdout.write(greeting);

  return new Promise((resolve, reject) => {
    let quitting = false;
    /** stdout failed (a reader that left, a full disk): the shell ends, and main says why, or nothing. */
    const stdoutFailed = (error: StdoutError) => {
      // Settled first: closing emits 'close', which would resolve.
      reject(error);
      quitting = true;
      rl.close();
    };
    // readline's own writes (prompts, echo) go through process.stdout, which reports failures later, as events.
    process.stdout.on('error', (error) => stdoutFailed(new StdoutError(error)));
    rl.on('line', (line) => {
      history.entered(line);
      const items = reader.push(line);
      // Saved before it runs, so that a statement that never returns is remembered too.
      if (!reader.isPending) history.endStatement();
      for (const item of items) {
        let result: { outcome: Outcome; stopped: boolean } = { outcome: 'continue', stopped: false };
        try {
          result = execute(item);
        } catch (error) {
          if (error instanceof StdoutError) return stdoutFailed(error);
          session.reportError(error);
          if (error instanceof GhsqlError && error.code === 'INTERRUPTED') result.stopped = true;
        } finally {
          handBackTypedAhead();
        }
        if (result.outcome === 'quit') {
          quitting = true;
          rl.close();
          return;
        }
        if (result.stopped) {
          const rest = items.length - items.indexOf(item) - 1;
          if (rest > 0) session.info(`interrupted: the ${plural(rest, 'statement')} after it on this line did not run.`);
          break;
        }
      }
      prompt();
    });
    rl.on('SIGINT', () => {
      // Mark the input as cancelled, as shells do, then start afresh on the next line.
      process.stdout.write('^C\n');
      rl.write(null, { ctrl: true, name: 'e' });
      rl.write(null, { ctrl: true, name: 'u' });
      reader.clear();
      history.endStatement();
      prompt();
    });
    rl.on('close', () => {
      ctrlC?.close();
      history.endStatement();
      if (!quitting) process.stdout.write('\n'); // Ctrl-D: end the prompt line
      resolve();
    });
    prompt();
  });
}
