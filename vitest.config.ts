import { defineConfig } from 'vitest/config';

// Tests import the built package (dist/): the SQL bridge runs a worker thread from a compiled file,
// and testing what ships catches build mistakes too.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Every file starts its own stand-in server and worker threads; two at a time suits a 2-core box.
    maxWorkers: 2,
  },
});
