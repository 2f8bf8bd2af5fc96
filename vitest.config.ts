import { configDefaults, defineConfig } from 'vitest/config';

// Three tiers: `npm test` runs fast and e2e, `npm run test:slow` the slow one; CI (.ci/run) runs all
// three. `npm run test:fast` runs the first alone.
//
// - fast: pure modules, with no worker thread, no stand-in server and no child process; it needs only
//   the build and gives an answer in seconds. A test is fast by where it lives or what it is called:
//     test/fast/**            a folder of fast tests
//     **/*.unit.test.ts       a fast test beside the e2e tests of the same area
//     test/**/transport/**    the HTTP transport's tests (test/github/transport/)
//   Put a new test in one of these only if it starts none of the three things above. Fast files
//   share one module graph per worker (isolate: false, which halves the tier's time), so a fast
//   test must not depend on a module's state being fresh.
// - slow: test/slow/**, tests that take minutes by design (test/slow/lifecycle.test.ts: 200
//   register/close cycles in a child process).
// - e2e: every other test: the stand-in, the worker thread, the CLI as a child process.
const FAST = ['test/fast/**/*.test.ts', 'test/**/*.unit.test.ts', 'test/**/transport/**/*.test.ts'];
const SLOW = ['test/slow/**/*.test.ts'];

// Tests import the built package (dist/): the SQL bridge runs a worker thread from a compiled file,
// and testing what ships catches build mistakes too.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every e2e file starts its own stand-in server and worker threads; two at a time suits a 2-core
    // box. The limit is the whole run's, shared by the three tiers.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'fast', include: FAST, exclude: [...configDefaults.exclude, ...SLOW], isolate: false } },
      { extends: true, test: { name: 'slow', include: SLOW } },
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...FAST, ...SLOW] } },
    ],
  },
});
