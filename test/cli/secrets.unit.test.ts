import { describe, expect, it } from 'vitest';
import { redactSecrets, scrubSecrets, secretArguments } from '../../dist/cli/secrets.js';
import { tables } from '../../dist/index.js';

const RESTORE = 'restore_package_for_authenticated_user';
const redacted = (sql: string) => redactSecrets(sql).text;

describe('secret arguments', () => {
  it('come from the resources: the restore action marks its token', () => {
    // The restore token follows the route's values: (type, name) for the user's own, (owner, type, name) for the others'.
    expect([...secretArguments(tables)]).toEqual([
      [RESTORE, [2]],
      ['restore_package_for_org', [3]],
      ['restore_package_for_user', [3]],
    ]);
    const [table] = tables;
    const action = { ...table!.actions[0]!.action, name: 'Other', route: 'DELETE /things/{package_type}', query: [{ name: 'b', secret: true }] };
    const args = [
      { name: 'package_type', optional: false, type: 'TEXT' as const },
      { name: 'b', secret: true, optional: true, type: 'TEXT' as const },
    ];
    const marked = { ...table!, actions: [{ ...table!.actions[0]!, action, arguments: args }] };
    expect([...secretArguments([marked])]).toEqual([['other', [1]]]);
  });

  it('are replaced, whatever the spelling of the call, and the rest is kept as typed', () => {
    expect(redacted(`SELECT ${RESTORE}('npm', 'lib', 'PACKAGE-TOKEN') AS r;`)).toBe(`SELECT ${RESTORE}('npm', 'lib', '[REDACTED]') AS r;`);
    expect(redacted(`select ${RESTORE.toUpperCase()} ( 'npm','lib',  'T1'  )`)).toBe(`select ${RESTORE.toUpperCase()} ( 'npm','lib',  '[REDACTED]'  )`);
    expect(redacted(`SELECT "${RESTORE}"('npm', 'lib', 'T2'), [${RESTORE}]('a', 'b', 'T3')`)).toBe(
      `SELECT "${RESTORE}"('npm', 'lib', '[REDACTED]'), [${RESTORE}]('a', 'b', '[REDACTED]')`,
    );
  });

  it('are whole expressions, found past nested calls, strings with commas and comments', () => {
    expect(redacted(`SELECT ${RESTORE}(lower('N,P)M'), /* a, b */ name, 'to' || 'ken' || char(33))`)).toBe(
      `SELECT ${RESTORE}(lower('N,P)M'), /* a, b */ name, '[REDACTED]')`,
    );
    expect(redacted(`SELECT ${RESTORE}('npm',\n  'lib',\n  'it''s secret'\n);`)).toBe(`SELECT ${RESTORE}('npm',\n  'lib',\n  '[REDACTED]'\n);`);
  });

  it('are replaced in an unfinished statement too', () => {
    expect(redacted(`SELECT ${RESTORE}('npm', 'lib', 'HALF-TYPED`)).toBe(`SELECT ${RESTORE}('npm', 'lib', '[REDACTED]'`);
  });

  it('are found after a forgotten comma, which moves them into an earlier argument', () => {
    const { text, secrets } = redactSecrets(`SELECT ${RESTORE}('npm', 'lib' 'MISPLACED')`);
    expect(text).toBe(`SELECT ${RESTORE}('npm', '[REDACTED]')`);
    expect(secrets).toContain('MISPLACED');
    expect(redacted(`SELECT ${RESTORE}('npm', 'lib', "DOUBLE-QUOTED") -- DOUBLE-QUOTED`)).toBe(`SELECT ${RESTORE}('npm', 'lib', '[REDACTED]') -- [REDACTED]`);
  });

  it('leave other calls and other functions alone', () => {
    for (const sql of [`SELECT ${RESTORE}('npm', 'lib')`, `SELECT ${RESTORE}_x('a', 'b', 'c')`, `SELECT '${RESTORE}(1, 2, 3)'`, `SELECT delete_package_for_authenticated_user('npm', 'lib')`]) {
      expect(redactSecrets(sql)).toEqual({ text: sql, secrets: [] });
    }
  });

  it('go everywhere in the text, and can be scrubbed from messages', () => {
    const { text, secrets } = redactSecrets(`SELECT ${RESTORE}('npm', 'lib', 'TOK9') -- TOK9 again`);
    expect(text).toBe(`SELECT ${RESTORE}('npm', 'lib', '[REDACTED]') -- [REDACTED] again`);
    expect(secrets).toEqual(["'TOK9'", 'TOK9']);
    expect(scrubSecrets(`near "'TOK9'": syntax error`, secrets)).toBe('near "[REDACTED]": syntax error');
    expect(scrubSecrets('unrecognized token: "\'TOK9"', secrets)).toBe('unrecognized token: "\'[REDACTED]"');
  });

  it('are scrubbed from messages in every encoding, not only as typed', () => {
    const token = 'PACKAGE-TOKEN/+=5f3a';
    const { secrets } = redactSecrets(`SELECT ${RESTORE}('npm', 'lib', '${token}')`);
    const forms = [encodeURIComponent(token), Buffer.from(`user:${token}`).toString('base64'), Buffer.from(token).toString('base64url')];
    expect(scrubSecrets(`echoed ${forms.join(' and ')}`, secrets)).toBe('echoed [REDACTED] and [REDACTED] and [REDACTED]');
  });
});
