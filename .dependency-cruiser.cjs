// The layering of src/ (see the README's layout), checked on every `npm test` and in CI:
// a layer that reaches into another fails the build instead of waiting for a reviewer to notice.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'sql-thread-not-worker-thread',
      comment: 'src/sql/ runs on the SQL thread and src/worker/ in the worker thread: they meet only through src/rpc/ and the wire in src/table/.',
      severity: 'error',
      from: { path: '^src/sql/' },
      to: { path: '^src/worker/' },
    },
    {
      name: 'worker-thread-not-sql-thread',
      comment: 'src/worker/ runs in the worker thread and src/sql/ on the SQL thread: they meet only through src/rpc/ and the wire in src/table/.',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: '^src/sql/' },
    },
    {
      name: 'rpc-knows-no-tables',
      comment: 'src/rpc/ is the synchronous bridge, typed by a Wire it is given: it knows neither thread nor any table.',
      severity: 'error',
      from: { path: '^src/rpc/' },
      to: { path: '^src/(sql|worker|table|tables)/' },
    },
    {
      name: 'cli-only-through-index',
      comment: 'src/cli/ uses the library as its users do: through src/index.ts only (plus its own files, node: builtins and npm packages).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: '^src/(cli/|index[.]ts$)' },
    },
    {
      name: 'table-not-threads-or-cli',
      comment: 'src/table/ says what a table is, for both threads: it imports neither thread nor the CLI.',
      severity: 'error',
      from: { path: '^src/table/' },
      to: { path: '^src/(sql|worker|cli)/' },
    },
    {
      name: 'every-import-resolves',
      comment: 'An import that does not resolve matches no rule above, so the check would pass without checking it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // `import type` counts too: a type-only import still couples the layers.
    tsPreCompilationDeps: true,
    // NodeNext sources import './x.js' for ./x.ts: the project's tsconfig tells the resolver so.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
