import { redactor, tables, type DefinedTable } from '../index.js';
import { sqlTokens, unquote, type SqlToken } from './sql-tokens.js';

/** What a secret argument becomes in history and column names: a string, so the SQL still reads. */
export const REDACTED = "'[REDACTED]'";

/** Action name (lower case, as SQLite matches function names) → positions of its secret arguments. */
export type SecretArguments = ReadonlyMap<string, readonly number[]>;

/** The secret arguments of the resources' actions, as their data marks them (`secret: true`). */
export function secretArguments(from: readonly DefinedTable[]): SecretArguments {
  const secrets = new Map<string, number[]>();
  for (const { action, arguments: args } of from.flatMap((table) => table.actions)) {
    const positions = args.flatMap((argument, position) => (argument.secret ? [position] : []));
    if (positions.length > 0) secrets.set(action.name.toLowerCase(), positions);
  }
  return secrets;
}

const SECRET_ARGUMENTS = secretArguments(tables);

/**
 * Other copies of a secret are replaced only when it is at least this long: a token is far longer,
 * and replacing every "npm" or "a" in the text and messages would make them unreadable.
 */
const MIN_SCRUBBED_LENGTH = 4;

export interface Redaction {
  /** The SQL with each secret argument replaced by '[REDACTED]'. */
  text: string;
  /** What was replaced: each argument's text and, for a string, its value (to scrub messages with); only the long enough. */
  secrets: string[];
}

/**
 * Finds the secret arguments in SQL text (`restore_package_for_authenticated_user('npm', 'lib',
 * 'TOKEN')`: the third) and replaces each, whatever expression it is, by '[REDACTED]'. Calls may be
 * nested, span lines, be unfinished (a statement dropped with Ctrl-C), or name the function in any
 * case or quoted. The secret's other copies in the text (a comment, a second mention) go too.
 *
 * A forgotten comma (`'lib' 'TOKEN'`) would move the secret into an earlier argument: such an
 * argument, two strings side by side, which is never valid SQL, counts as secret too.
 */
export function redactSecrets(sql: string, secret: SecretArguments = SECRET_ARGUMENTS): Redaction {
  // A cheap test first: most statements name no action at all.
  const lower = sql.toLowerCase();
  if (![...secret.keys()].some((name) => lower.includes(name))) return { text: sql, secrets: [] };

  const tokens = [...sqlTokens(sql)].filter((token) => token.kind !== 'comment');
  const ranges: Array<{ start: number; end: number }> = [];
  const secrets: string[] = [];
  tokens.forEach((token, i) => {
    const positions = secret.get(functionName(sql, token) ?? '');
    if (!positions || !isSymbol(sql, tokens[i + 1], '(')) return;
    const args = argumentsOf(sql, tokens, i + 2);
    for (const [position, arg] of args.entries()) {
      const malformed = hasAdjacentStrings(arg);
      if (arg.length === 0 || !(positions.includes(position) || (malformed && position <= Math.max(...positions)))) continue;
      const range = { start: arg[0]!.start, end: arg[arg.length - 1]!.end };
      ranges.push(range);
      secrets.push(sql.slice(range.start, range.end));
      if (arg.length === 1 || malformed) secrets.push(...arg.filter((part) => part.kind === 'string' || part.kind === 'quoted').map((part) => unquote(sql, part)));
    }
  });
  if (ranges.length === 0) return { text: sql, secrets: [] };
  const found = [...new Set(secrets.filter((value) => value.length >= MIN_SCRUBBED_LENGTH))];
  // The text between the secret arguments is scrubbed too (a copy in a comment or a second mention),
  // but not the placeholders themselves, which a short secret could otherwise cut into.
  let text = '';
  let from = 0;
  // In text order; a range inside one already replaced (a call nested in a secret argument) is gone with it.
  for (const range of ranges.sort((a, b) => a.start - b.start)) {
    if (range.start < from) continue;
    text += scrubSecrets(sql.slice(from, range.start), found) + REDACTED;
    from = range.end;
  }
  text += scrubSecrets(sql.slice(from), found);
  return { text, secrets: found };
}

/**
 * Replaces every occurrence of the secrets in a message (an error quoting the SQL) by [REDACTED], in
 * any encoding the library's redaction knows (percent-encoded, base64 of it or of anything ending in it).
 */
export function scrubSecrets(message: string, secrets: readonly string[]): string {
  return redactor(...secrets)(message);
}

/** The name a word or quoted name token gives a function, in lower case. */
function functionName(sql: string, token: SqlToken): string | undefined {
  if (token.kind === 'word') return sql.slice(token.start, token.end).toLowerCase();
  if (token.kind === 'quoted') return unquote(sql, token).toLowerCase();
  return undefined;
}

function isSymbol(sql: string, token: SqlToken | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && sql[token.start] === symbol;
}

function hasAdjacentStrings(tokens: readonly SqlToken[]): boolean {
  return tokens.some((token, i) => token.kind === 'string' && tokens[i + 1]?.kind === 'string');
}

/** The tokens of each argument of a call whose `(` is just before `first`, up to its `)` or the end of the text. */
function argumentsOf(sql: string, tokens: readonly SqlToken[], first: number): SqlToken[][] {
  const args: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of tokens.slice(first)) {
    if (isSymbol(sql, token, ')')) {
      if (depth === 0) break; // the call's own
      depth--;
    } else if (isSymbol(sql, token, '(')) {
      depth++;
    } else if (isSymbol(sql, token, ',') && depth === 0) {
      args.push([]);
      continue;
    }
    args[args.length - 1]!.push(token);
  }
  return args;
}
