import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// What a new user does: `npm pack` here, then install the tarball in a project of their own and run
// `npx ghsql` and `import 'ghsql'`. better-sqlite3 is linked from this checkout (file:) and install
// scripts are off, so the test does not compile it again (a user's install does: about a minute);
// everything else comes from the registry as for a user.
const repository = resolve(import.meta.dirname, '../..');
const project = mkdtempSync(join(tmpdir(), 'ghsql-pack-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function npm(args: string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

describe('the packed tarball in a new project', () => {
  it('installs without an engine warning and runs the CLI and the library', () => {
    // --ignore-scripts: dist/ is built by the tier's own `npm run build`; a rebuild would empty
    // dist/ under the other slow test.
    const packed = npm(['pack', '--ignore-scripts', '--pack-destination', project], repository);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'a-new-project', private: true, type: 'module', dependencies: { 'better-sqlite3': `file:${join(repository, 'node_modules/better-sqlite3')}` } }),
    );
    const installed = npm(['install', '--prefer-offline', '--ignore-scripts', `./${tarball}`], project);
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stderr).not.toMatch(/EBADENGINE/);

    const cli = execFileSync('npx', ['--no-install', 'ghsql', '--demo', '--json', "SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'container'"], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(cli)[0].n).toBeGreaterThan(0);

    writeFileSync(
      join(project, 'notebook.mjs'),
      [
        "import Database from 'better-sqlite3';",
        "import { register } from 'ghsql';",
        'const db = new Database();',
        'const ghsql = register(db, { demo: true });',
        "const [{ n }] = db.prepare(\"SELECT count(*) AS n FROM auth_user_packages WHERE package_type = 'npm'\").all();",
        'console.log(n);',
        'db.close();',
      ].join('\n'),
    );
    const library = execFileSync(process.execPath, ['notebook.mjs'], { cwd: project, encoding: 'utf8' });
    expect(Number(library.trim())).toBeGreaterThan(0);
  }, 240_000);
});
