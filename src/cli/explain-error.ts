/**
 * Adds what to do to errors SQLite reports in its own words. better-sqlite3 refuses operators other
 * than `=` on virtual-table parameters while planning, before any request.
 */
export function explainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const operator = /virtual table parameter "([^"]+)" can only be constrained by the '=' operator/.exec(message);
  if (operator) {
    const column = operator[1]!;
    return `${column} is sent to GitHub, so it can only be compared with = or IN, e.g. WHERE ${column} IN ('a', 'b'); other columns take any operator.`;
  }
  return message;
}
