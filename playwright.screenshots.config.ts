/**
 * `npm run screenshots`: takes the README screenshots (e2e/readme-screenshots.ts) into
 * docs/screenshots with the e2e settings (Debian's Chromium, viewport, locale, time zone), on a
 * server of its own: no global setup. Not part of `npm test`.
 */
import { defineConfig } from '@playwright/test';
import e2e from './playwright.config';

const { globalSetup: _setup, globalTeardown: _teardown, ...shared } = e2e;

export default defineConfig({
  ...shared,
  testMatch: 'readme-screenshots.ts',
  outputDir: './test-results/screenshots',
  retries: 0,
  expect: {
    ...shared.expect,
    toHaveScreenshot: { pathTemplate: '{testDir}/../docs/screenshots/{arg}{ext}' },
  },
  // A picture is rewritten when it changed beyond the tolerance (or is missing), without failing
  // the run; unchanged ones are left alone, so antialiasing noise leaves git clean.
  updateSnapshots: 'changed',
});
