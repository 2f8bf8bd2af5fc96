import type Database from 'better-sqlite3';
import { GhsqlError } from '../errors.js';

/** Compiled patterns kept per database: a REGEXP in a WHERE clause is called once per row with the same pattern. */
const MAX_PATTERNS = 256;

/**
 * SQLite's `x REGEXP y` calls the function regexp(y, x), which SQLite itself does not provide. Patterns
 * are JavaScript regular expressions with the `u` flag (so `\d`, `(?<name>…)`, `\p{L}` work as
 * documented on MDN), matched anywhere in the text unless anchored: `tags REGEXP '^v\d+\.\d+\.\d+$'`.
 * NULL on either side is NULL, as for LIKE; a number is matched as its text.
 */
export function registerRegexp(db: Database.Database): void {
  const compiled = new Map<string, RegExp>();
  db.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (pattern === null || value === null) return null;
    if (typeof pattern !== 'string') throw new GhsqlError('INVALID_ARGUMENT', `REGEXP takes its pattern as text, not ${typeof pattern === 'bigint' || typeof pattern === 'number' ? 'a number' : 'a blob'}.`);
    let regexp = compiled.get(pattern);
    if (!regexp) {
      try {
        regexp = new RegExp(pattern, 'u');
      } catch (error) {
        throw new GhsqlError('INVALID_ARGUMENT', `REGEXP pattern ${JSON.stringify(pattern)} is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, '')}); patterns are JavaScript's, with the u flag.`);
      }
      if (compiled.size >= MAX_PATTERNS) compiled.clear();
      compiled.set(pattern, regexp);
    }
    return regexp.test(value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value)) ? 1 : 0;
  });
}
