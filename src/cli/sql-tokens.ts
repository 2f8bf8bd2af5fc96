/**
 * SQLite's tokens, as far as the CLI needs them: where statements end (script.ts) and where a
 * function's arguments are (secrets.ts). Both must agree with SQLite on what is inside a string, a
 * quoted name or a comment, so they share this one reading of the text.
 */
export interface SqlToken {
  /** word: a keyword, name or number; string: '…'; quoted: a name in "…", `…` or […]; symbol: any other character. */
  kind: 'word' | 'string' | 'quoted' | 'comment' | 'symbol';
  start: number;
  end: number;
  /** A string, quoted name or block comment that the text ends inside (it runs to the end). */
  open: boolean;
}

const QUOTES: Record<string, string> = { "'": "'", '"': '"', '`': '`', '[': ']' };
const WORD = /[\p{L}\p{N}_$]+/uy;

export function* sqlTokens(text: string): Generator<SqlToken> {
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    const start = i;
    if (char === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      yield { kind: 'comment', start, end: i, open: false };
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      yield { kind: 'comment', start, end: i, open: end < 0 };
    } else if (char in QUOTES) {
      const close = QUOTES[char]!;
      let end = text.indexOf(close, i + 1);
      // A doubled quote ('it''s') is an escaped quote, not the end.
      while (end >= 0 && close !== ']' && text[end + 1] === close) end = text.indexOf(close, end + 2);
      i = end < 0 ? text.length : end + 1;
      yield { kind: char === "'" ? 'string' : 'quoted', start, end: i, open: end < 0 };
    } else if (/[\p{L}\p{N}_$]/u.test(char)) {
      WORD.lastIndex = i;
      i += WORD.exec(text)![0].length;
      yield { kind: 'word', start, end: i, open: false };
    } else {
      i++;
      if (!/\s/.test(char)) yield { kind: 'symbol', start, end: i, open: false };
    }
  }
}

/** The text a string or quoted name stands for: without its quotes, doubled quotes made single. */
export function unquote(text: string, token: SqlToken): string {
  const body = text.slice(token.start + 1, token.open ? token.end : token.end - 1);
  const quote = text[token.start]!;
  return quote === '[' ? body : body.split(quote + quote).join(quote);
}
