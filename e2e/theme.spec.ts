/** Dark mode: follows the OS (prefers-color-scheme) unless the theme select says otherwise. */
import { expect, test } from './fixtures';
import { bodyBackground, grid, luminance, openTable } from './support/app';

const DARK = 0.05;
const LIGHT = 0.6;

test.describe('with the OS in dark mode', () => {
  test.use({ colorScheme: 'dark' });

  test('the app is dark by default; choosing Light overrides the OS', async ({ page }) => {
    await expect(page.getByRole('combobox', { name: 'Theme' })).toHaveValue('system');
    expect(luminance(await bodyBackground(page))).toBeLessThan(DARK);
    await openTable(page, 'users');
    expect(luminance(await bodyBackground(page))).toBeLessThan(DARK);
    await expect(grid(page)).toBeVisible();

    // Choosing Light overrides the OS.
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await expect.poll(async () => luminance(await bodyBackground(page))).toBeGreaterThan(LIGHT);
  });
});

test.describe('with the OS in light mode', () => {
  test.use({ colorScheme: 'light' });

  test('the app is light by default; choosing Dark switches, persists and can be undone', async ({ page }) => {
    const theme = page.getByRole('combobox', { name: 'Theme' });
    expect(luminance(await bodyBackground(page))).toBeGreaterThan(LIGHT);

    await theme.selectOption('dark');
    await expect.poll(async () => luminance(await bodyBackground(page))).toBeLessThan(DARK);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

    // Remembered across reloads, and applied before the first paint.
    await page.reload();
    await expect(theme).toHaveValue('dark');
    expect(luminance(await bodyBackground(page))).toBeLessThan(DARK);

    await theme.selectOption('system');
    await expect.poll(async () => luminance(await bodyBackground(page))).toBeGreaterThan(LIGHT);
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
  });
});
