import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, tempHome, type TempHome } from './cli/helpers.js';

/**
 * The snippets of examples/, each run the way its kernel or language would run it, against the demo
 * (no token). The kernels themselves are not needed: what they do to a cell is done here.
 */
const run = promisify(execFile);
const EXAMPLES = join(ROOT, 'examples');

let home: TempHome;
/** A project of the user's: ghsql and better-sqlite3 installed in its node_modules, as npm would. */
let project: string;

beforeAll(() => {
  home = tempHome();
  project = join(home.dir, 'project');
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'tslab'), { recursive: true });
  symlinkSync(ROOT, join(modules, 'ghsql'));
  symlinkSync(join(ROOT, 'node_modules', 'better-sqlite3'), join(modules, 'better-sqlite3'));
  symlinkSync(join(ROOT, 'node_modules', '@types'), join(modules, '@types'));
  // tslab's display, as a cell sees it: the HTML goes where the test can read it.
  writeFileSync(join(modules, 'tslab', 'package.json'), JSON.stringify({ name: 'tslab', main: 'index.js', types: 'index.d.ts' }));
  writeFileSync(join(modules, 'tslab', 'index.d.ts'), 'export declare const display: { html(html: string): void };\n');
  writeFileSync(join(modules, 'tslab', 'index.js'), "exports.display = { html: (html) => console.log('display.html:', html) };\n");
});
afterAll(() => home.remove());

const env = () => ({ ...home.env, PATH: `${join(home.dir, 'bin')}:${process.env['PATH'] ?? ''}` });

/** tslab's compiler options (its converter.ts): ES modules resolved the node10 way, then turned into CommonJS. */
const TSLAB_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  target: ts.ScriptTarget.ES2019,
  lib: ['lib.es2019.d.ts'],
  declaration: true,
  skipLibCheck: true,
  outDir: 'out',
};

/**
 * What tslab reports for a cell: it exports every top-level variable (to declare them for the next
 * cells) and emits declarations, so a variable whose type cannot be named fails.
 */
function tslabDiagnostics(source: string): string[] {
  const locals = [...source.matchAll(/^(?:const|let) (\w+)/gm)].map((match) => match[1]!);
  const file = join(project, 'cell.ts');
  writeFileSync(file, `${source}\nexport { ${locals.join(', ')} };\n`);
  const program = ts.createProgram([file], TSLAB_OPTIONS);
  const emitted = program.emit(undefined, () => undefined);
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
}

describe('the notebook snippets', () => {
  it('tslab: type-checks as tslab does (the Database.Database annotation is what makes it), then runs as CommonJS', async () => {
    const source = readFileSync(join(EXAMPLES, 'notebooks', 'tslab.ts'), 'utf8');
    expect(tslabDiagnostics(source)).toEqual([]);
    const unannotated = tslabDiagnostics(source.replace('const db: Database.Database =', 'const db ='));
    expect(unannotated.join('\n')).toMatch(/^TS4023: Exported variable 'db' has or is using name 'BetterSqlite3.Database'/);

    const { outputText } = ts.transpileModule(source, { compilerOptions: { ...TSLAB_OPTIONS, module: ts.ModuleKind.CommonJS, declaration: false } });
    writeFileSync(join(project, 'tslab-cells.cjs'), outputText);
    const { stdout } = await run(process.execPath, ['tslab-cells.cjs'], { cwd: project, env: env(), timeout: 20_000 });
    expect(stdout).toMatch(/^display\.html: <table>/m);
    expect(stdout).toContain('<th style="text-align:right">version_count</th>');
    expect(stdout).toMatch(/^\d+ rows kept at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  });

  it('ijavascript: runs as a CommonJS script without top-level await; require(ghsql) loads the ES module', async () => {
    // What ijavascript does with a cell: vm.runInThisContext, with require and $$ in scope.
    const runner = `
      const { createRequire } = require('node:module');
      const vm = require('node:vm');
      globalThis.require = createRequire(${JSON.stringify(join(project, 'cell.js'))});
      globalThis.$$ = { html: (html) => console.log('$$.html:', html) };
      console.log('require_module:', process.features.require_module);
      vm.runInThisContext(require('node:fs').readFileSync(${JSON.stringify(join(EXAMPLES, 'notebooks', 'ijavascript.js'))}, 'utf8'));
    `;
    const { stdout } = await run(process.execPath, ['-e', runner], { cwd: project, env: env(), timeout: 20_000 });
    expect(stdout).toContain('require_module: true');
    expect(stdout).toMatch(/^\$\$\.html: <table>/m);
    expect(stdout).toMatch(/<td style="text-align:left">container<\/td><td style="text-align:right">\d+<\/td>/);

    // Before Node 20.19 require() of an ES module fails; this flag brings that behaviour back.
    const old = await run(process.execPath, ['--no-experimental-require-module', '-e', "try { require('ghsql') } catch (error) { console.log(error.code) }"], { cwd: project, env: env() });
    expect(old.stdout.trim()).toBe('ERR_REQUIRE_ESM');
  });

  it('plain Node.js: runs as an ES module script with top-level await, and ends by itself', async () => {
    const script = join(project, 'node.mjs');
    writeFileSync(script, readFileSync(join(EXAMPLES, 'notebooks', 'node.mjs')));
    const { stdout, stderr } = await run(process.execPath, [script], { cwd: project, env: env(), timeout: 20_000 });
    expect(stdout).toMatch(/│ +\d+ +│ +'eslint-config' +│ +'public' +│ +12 +│/);
    expect(stderr).toContain('1/1 pages');
  });
});

describe('the process boundary', () => {
  beforeAll(() => {
    // `ghsql` on the PATH, as npm's bin link (or npx) puts it there.
    mkdirSync(join(home.dir, 'bin'));
    const shim = join(home.dir, 'bin', 'ghsql');
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(shim, 0o755);
  });

  it('Python reads ndjson and csv from a ghsql subprocess (json and csv modules only)', async () => {
    const { stdout } = await run('python3', [join(EXAMPLES, 'python', 'packages.py')], { env: env(), timeout: 20_000 });
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(0, 3)) expect(line).toMatch(/^\S+ \d+ octo-demo$/);
    expect(lines[3]).toMatch(/^\{'private': \d+, 'public': \d+\}$/);
  });
});
