import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome, type TempHome } from './helpers.js';

let home: TempHome;
beforeAll(() => {
  home = tempHome();
});
afterAll(() => home.remove());

const demo = (args: string[]) => runCli(['--demo', '--format', 'csv', ...args], { env: home.env });

describe('-p NAME VALUE', () => {
  it('binds :NAME in the statement, a number as a number', async () => {
    const { code, stdout, stderr } = await demo([
      '-p', 'type', 'container', '--param', 'least', '2',
      'SELECT count(*) > 0 AS some, typeof(:least) AS t FROM auth_user_packages WHERE package_type = :type AND version_count >= :least',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('some,t\r\n1,integer\r\n');
  });

  it('binds in a -f file, and keeps a value that is not a plain number as text', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ghsql-')), 'report.sql');
    writeFileSync(file, "SELECT :name AS name, typeof(:name) AS t, :ratio AS ratio, typeof(:code) AS code;\n");
    const { code, stdout } = await demo(['-p', 'name', 'acme/app', '-p', 'ratio', '0.5', '-p', 'code', '007', '-f', file]);
    expect(code).toBe(0);
    expect(stdout).toBe('name,t,ratio,code\r\nacme/app,text,0.5,text\r\n');
  });

  it('says which parameter has no value, and what a -p needs', async () => {
    const missing = await demo(['-p', 'a', '1', 'SELECT :a, :b']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/the statement uses :b, which has no value: give it with -p b VALUE\./);
    const short = await demo(['-p', 'a']);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/-p takes a name and a value: -p keep 5 binds :keep in the statements\./);
  });
});
