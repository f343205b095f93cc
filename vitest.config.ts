import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // SQLite work is CPU-bound and the CI machine has 2 cores.
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
