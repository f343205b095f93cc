/**
 * End-to-end tests: the built web mode (`node out/main/web.js`) on a freshly seeded data directory,
 * driven through Debian's Chromium. `npm run test:e2e` builds first; the global setup seeds the
 * data directory through the real engine and starts the server, the global teardown stops it.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/support/chromium';

const CI = Boolean(process.env['CI']);

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  // One server, one database: tests run one at a time (2-core CI).
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  // No retries, in CI too: a retry would hide a flaky test. A failure keeps its trace.
  retries: 0,
  timeout: 30_000,
  // The README screenshots are not taken here: `npm run screenshots` (playwright.screenshots.config.ts).
  expect: { timeout: 5_000 },
  // Console output only: no HTML report (traces of failed tests land in test-results/).
  reporter: 'list',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
