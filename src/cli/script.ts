import { sqlTokens } from './sql-tokens.js';

/** One unit of input: a SQL statement, or a dot-command line such as `.mode json`. */
export type ScriptItem = { kind: 'sql' | 'dot'; text: string; line: number };

interface Scan {
  /** Complete statements (each ends with its `;`) and the offset where each one's first token starts. */
  statements: Array<{ text: string; start: number }>;
  /** Text after the last complete statement. */
  rest: string;
  /** Offset in the text of the rest's first token; -1 when it holds only blanks and comments. */
  restFirstToken: number;
  /** The rest ends inside a string, quoted name or block comment. */
  restOpen: boolean;
}

/**
 * Splits SQL text at the semicolons that end statements, the way sqlite3_complete does: semicolons
 * inside strings, quoted names and comments do not count, and a CREATE TRIGGER body only ends at
 * an `END;` that follows a semicolon (`CASE … END;` inside the body does not end it).
 */
function scan(text: string): Scan {
  const statements: Scan['statements'] = [];
  let statementStart = 0;
  let firstToken = -1;
  let leadingWords: string[] = [];
  /** The last token was a semicolon: an END now would close a trigger body. */
  let afterSemicolon = false;
  /** The last token was an END that follows a semicolon. */
  let closingEnd = false;
  let open = false;
  for (const token of sqlTokens(text)) {
    if (token.kind === 'comment') {
      open = token.open;
      continue;
    }
    if (token.kind === 'symbol' && text[token.start] === ';') {
      const inTrigger = isCreateTrigger(leadingWords) && !closingEnd;
      if (firstToken >= 0 && !inTrigger) statements.push({ text: text.slice(firstToken, token.end), start: firstToken });
      if (!inTrigger) {
        statementStart = token.end;
        firstToken = -1;
        leadingWords = [];
      }
      afterSemicolon = true;
      closingEnd = false;
      continue;
    }
    if (firstToken < 0) firstToken = token.start;
    open = token.open;
    if (token.kind === 'word') {
      const word = text.slice(token.start, token.end).toUpperCase();
      if (leadingWords.length < 3) leadingWords.push(word);
      closingEnd = word === 'END' && afterSemicolon;
      afterSemicolon = false;
    } else {
      afterSemicolon = closingEnd = false;
    }
  }
  return { statements, rest: text.slice(statementStart), restFirstToken: firstToken, restOpen: open };
}

function isCreateTrigger(words: string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  return words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER');
}

/**
 * Turns lines of input (a file, stdin or the shell) into statements and dot-commands. A line that
 * starts with `.` is a dot-command only between statements, as in the sqlite3 shell.
 */
export class ScriptReader {
  private pending = '';
  private pendingFirstLine = 1;
  private lineNumber = 0;

  push(line: string): ScriptItem[] {
    this.lineNumber++;
    if (!this.isPending && line.trimStart().startsWith('.')) {
      this.pending = '';
      return [{ kind: 'dot', text: line.trim(), line: this.lineNumber }];
    }
    if (this.pending.trim() === '') {
      // What is left after the last statement is only its line's end: the next statement starts here.
      this.pending = '';
      this.pendingFirstLine = this.lineNumber;
    }
    this.pending += `${line}\n`;
    const { statements, rest } = scan(this.pending);
    const items = statements.map(({ text, start }) => ({
      kind: 'sql' as const,
      text,
      line: this.pendingFirstLine + countNewlines(this.pending, start),
    }));
    if (statements.length > 0) {
      this.pendingFirstLine += countNewlines(this.pending, this.pending.length - rest.length);
      this.pending = rest;
    }
    return items;
  }

  /** The end of the input: a last statement without `;` still runs. */
  finish(): ScriptItem[] {
    const { restFirstToken } = scan(this.pending);
    const pending = this.pending;
    this.pending = '';
    if (restFirstToken < 0) return [];
    return [{ kind: 'sql', text: pending.slice(restFirstToken).trim(), line: this.pendingFirstLine + countNewlines(pending, restFirstToken) }];
  }

  /** A statement has begun and is waiting for its `;` (the shell shows the continuation prompt). */
  get isPending(): boolean {
    const { restFirstToken, restOpen } = scan(this.pending);
    return restFirstToken >= 0 || restOpen;
  }

  /** Drops a half-typed statement (Ctrl-C in the shell). */
  clear(): void {
    this.pending = '';
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (text[i] === '\n') count++;
  return count;
}
