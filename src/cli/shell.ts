import { createInterface } from 'node:readline';
import { HISTORY_SIZE, historyPath, ShellHistory } from './history.js';
import { ScriptReader } from './script.js';
import { redactSecrets } from './secrets.js';
import type { Outcome, Session } from './session.js';
import { StdoutError } from './terminal.js';

const PROMPT = 'ghsql> ';
const CONTINUATION = '   ...> ';

/**
 * The interactive shell: statements end with `;` and may span lines, dot-commands take one line,
 * Ctrl-C drops the statement being typed, Ctrl-D (on an empty line) or .quit leaves. Statements run
 * synchronously; keys pressed meanwhile wait in the terminal and are read afterwards.
 */
export function runShell(session: Session, greeting: string): Promise<void> {
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
        let outcome: Outcome = 'continue';
        try {
          outcome = session.execute(item);
        } catch (error) {
          if (error instanceof StdoutError) return stdoutFailed(error);
          session.reportError(error);
        }
        if (outcome === 'quit') {
          quitting = true;
          rl.close();
          return;
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
      history.endStatement();
      if (!quitting) process.stdout.write('\n'); // Ctrl-D: end the prompt line
      resolve();
    });
    prompt();
  });
}
