/**
 * The `test` of every spec: pages come signed in (the launch URL was visited, so the tab holds the
 * token in its sessionStorage; reloads and `page.goto('/#/…')` keep it) with `baseURL` pointing at the server, and `openPage()` gives another signed-in
 * page in a separate browser context (another user of the same server).
 */
import { type Browser, type BrowserContextOptions, type Page, test as base } from '@playwright/test';
import { type ServerInfo, serverInfo } from './support/server-env';

export { expect } from '@playwright/test';

/** Visits the launch URL (the page takes the token from its fragment) and waits for the app. */
export async function signIn(page: Page, server: ServerInfo): Promise<void> {
  await page.goto(server.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).waitFor();
}

export interface AppFixtures {
  /** Another signed-in page, in its own browser context. Closed after the test. */
  openPage: (options?: BrowserContextOptions) => Promise<Page>;
}

export interface AppWorkerFixtures {
  server: ServerInfo;
}

async function newSignedInPage(browser: Browser, server: ServerInfo, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options, baseURL: server.origin });
  const page = await context.newPage();
  await signIn(page, server);
  return page;
}

export const test = base.extend<AppFixtures, AppWorkerFixtures>({
  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their dependencies.
    async ({}, use) => {
      await use(serverInfo());
    },
    { scope: 'worker' },
  ],

  baseURL: async ({ server }, use) => {
    await use(server.origin);
  },

  page: async ({ page, server }, use) => {
    await signIn(page, server);
    await use(page);
  },

  openPage: async ({ browser, server, colorScheme }, use) => {
    const contexts: Page[] = [];
    await use(async (options = {}) => {
      const page = await newSignedInPage(browser, server, { colorScheme: colorScheme ?? 'light', ...options });
      contexts.push(page);
      return page;
    });
    for (const page of contexts) await page.context().close();
  },
});
