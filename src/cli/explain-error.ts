import { messageOf } from '../index.js';

/**
 * Adds what to do to errors SQLite reports in its own words. better-sqlite3 refuses operators other
 * than `=` on virtual-table parameters while planning, before any request.
 */
export function explainError(error: unknown): string {
  const message = messageOf(error);
  const operator = /virtual table parameter "([^"]+)" can only be constrained by the '=' operator/.exec(message);
  if (operator) {
    const column = operator[1]!;
    return `${column} is sent to GitHub, so it can only be compared with = or IN, e.g. WHERE ${column} IN ('a', 'b'); other columns take any operator.`;
  }
  if (/^no query solution$/.test(message)) {
    return (
      'SQLite found no way to run this statement: a parameter column (package_type, package_name, …) is compared with a column that is only known ' +
      'inside the same scan (another column of the same row, or the parameter column of another ghsql table). Compare with a plain column instead ' +
      '(e.g. q.name = p.name rather than q.package_name = p.package_name), or bind the parameter to a value.'
    );
  }
  const parameter = /^Missing named parameter "([^"]+)"$/.exec(message);
  if (parameter) return `the statement uses :${parameter[1]}, which has no value: give it with -p ${parameter[1]} VALUE.`;
  if (/^Too few parameter values were provided$/.test(message)) return 'the statement has a ? parameter, which the CLI cannot fill: name it (:name) and give it with -p name VALUE.';
  // ghsql's views are temporary (made anew each session); `temp.auth_user_packages` names them.
  const stored = /(view|trigger) (\S+) cannot reference objects in database temp/.exec(message);
  if (stored) {
    return (
      `${stored[1]} ${stored[2]} would be stored in the database file, so it cannot use temporary objects such as temp.auth_user_packages: ` +
      'drop the "temp." prefix, make it temporary too (CREATE TEMP VIEW …), or save the rows with CREATE TABLE name AS SELECT ….'
    );
  }
  return message;
}
