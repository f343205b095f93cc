import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'scripts/**/*.test.mjs'],
    environment: 'node',
    // SQLite work is CPU-bound and the CI machine has 2 cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    // `npm run test:unit` (and so `npm test`) runs with --coverage: the engine's coverage, as a
    // summary on the console, failing under the floor below. The floor is what the whole suite
    // reached when it was set (statements 93.47%, branches 87.23%, functions 95.79%, lines
    // 95.72%), rounded down: raise it as coverage grows, never lower it to make a change pass.
    // Code run only in child processes (crash tests) or worker threads is not counted: the worker
    // entries (job bodies, SQL queries) are left out, since V8 coverage here sees the main thread only.
    coverage: {
      provider: 'v8',
      include: ['src/main/engine/**/*.ts'],
      exclude: [
        '**/*.test.ts',
        '**/*.test-support.ts',
        'src/main/engine/**/testing/**',
        'src/main/engine/jobs/job-worker.ts',
        'src/main/engine/sql/query-worker.ts',
      ],
      reporter: ['text-summary'],
      thresholds: { statements: 93, branches: 86, functions: 95, lines: 95 },
    },
  },
});
