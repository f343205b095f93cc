/**
 * The pages the README shows (see `npm run screenshots`, e2e/readme-screenshots.ts) render, on a
 * server of their own seeded like the screenshots' one. Nothing here takes or writes a picture.
 */
import { expect } from './fixtures';
import { bodyBackground, bodyRows, grid, luminance } from './support/app';
import { testWithOwnServer } from './support/own-server';
import { README_SEED, README_VIEWPORT, showOverview, showSqlConsole, showUserEditor, showUsersTable, showVerifiedIndex } from './support/readme-pages';
import { seedDataDir } from './support/seed';

const test = testWithOwnServer({ name: 'readme-pages', prepare: (dataDir) => void seedDataDir(dataDir, README_SEED) });
test.use({ viewport: README_VIEWPORT });

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`in ${scheme} mode`, () => {
    test.use({ colorScheme: scheme });

    test('the users table, with a row selected and its JSON beside the grid', async ({ page }) => {
      await showUsersTable(page);
      // root, the three demo users and the 14 seeded ones: small enough to be counted exactly.
      await expect(page.getByRole('main').getByText(/^18 rows$/)).toBeVisible();
      await expect(grid(page).getByRole('columnheader', { name: 'user_id', exact: true })).toBeVisible();
      expect(await bodyRows(page).count()).toBeGreaterThanOrEqual(10);
      const details = page.getByRole('complementary', { name: 'Row u_alice' });
      await expect(details).toContainText('username');
      await expect(details).toContainText('alice@example.com');
      await expect(details).not.toContainText('password_hash');
      const light = luminance(await bodyBackground(page));
      if (scheme === 'dark') expect(light).toBeLessThan(0.05);
      else expect(light).toBeGreaterThan(0.6);
    });

    test('the Overview dashboard, its charts in the theme', async ({ page }) => {
      await showOverview(page);
      const light = luminance(await bodyBackground(page));
      if (scheme === 'dark') expect(light).toBeLessThan(0.05);
      else expect(light).toBeGreaterThan(0.6);
    });
  });
}

test('the user editor, with an edited field', async ({ page }) => {
  const editor = await showUserEditor(page);
  await expect(editor.getByLabel('Username')).toHaveValue('alice');
  await expect(editor.getByLabel('Role')).toHaveValue('dba');
  await expect(editor.getByLabel('Email')).toHaveValue('alice@kalam.example');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeEnabled();
});

test('the Indexes page, with users.username verified', async ({ page }) => {
  await showVerifiedIndex(page);
  await expect(page.getByText(/[\d,]+ rows and [\d,]+ entries checked; nothing missing, orphaned or wrong/)).toBeVisible();
});

test('the SQL console, with a join run and its rows in the grid', async ({ page }) => {
  await showSqlConsole(page);
  await expect(page.getByRole('list', { name: 'Statements run' }).getByRole('button', { name: /^1\. SELECT 4 rows$/ })).toBeVisible();
});
