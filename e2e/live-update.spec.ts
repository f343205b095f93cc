/** Live updates: changes saved in another browser context show up here within seconds, without a reload. */
import { expect, test } from './fixtures';
import { cell, createUser, editRow, openTable, rowByKey, uniqueName } from './support/app';

/** "Within a couple of seconds" (events batch for 150 ms, then one refetch), with room for a busy CI machine. */
const LIVE_MS = 4_000;

test('an edit made on another page appears in the grid without a reload', async ({ page, openPage }) => {
  const name = uniqueName('live');
  const id = `u_${name}`;
  await openTable(page, 'users');
  await createUser(page, { userId: id, username: name, email: `${name}@before.example` });
  // Back to the whole table (a go-to-key view has no total row count), the new row selected.
  await page.getByRole('button', { name: 'Back to start' }).click();
  await rowByKey(page, id).click();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText('Live');
  // Mark this document: a reload would lose the mark.
  await page.evaluate('window.__e2eNoReload = true');
  let navigations = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations++;
  });

  const other = await openPage();
  await openTable(other, 'users');
  const editor = await editRow(other, id);
  await editor.getByLabel('Email').fill(`${name}@after.example`);
  await editor.getByLabel('Role').selectOption('service');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();

  // Here: the row changes on its own, within a couple of seconds.
  await expect(await cell(page, id, 'email')).toHaveText(`${name}@after.example`, { timeout: LIVE_MS });
  await expect(await cell(page, id, 'role')).toHaveText('service', { timeout: LIVE_MS });
  // The details pane of the selected row follows too.
  await expect(page.getByRole('complementary', { name: `Row ${id}` })).toContainText(`${name}@after.example`);
  expect(await page.evaluate<boolean>('window.__e2eNoReload === true')).toBe(true);
  expect(navigations).toBe(0);

  // A row created elsewhere appears too, and the exact row count follows.
  const count = page.getByRole('main').getByText(/^\d+ rows$/);
  const before = Number((await count.textContent())?.split(' ')[0]);
  const added = uniqueName('live');
  await createUser(other, { userId: `u_${added}`, username: added });
  await expect(count).toHaveText(`${before + 1} rows`, { timeout: LIVE_MS });
  await expect(page.getByRole('grid')).toHaveAttribute('aria-rowcount', String(before + 2));

  // The other way round: a change made here reaches the other page.
  const mine = await editRow(page, id);
  await mine.getByLabel('Email').fill(`${name}@again.example`);
  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(await cell(other, id, 'email')).toHaveText(`${name}@again.example`, { timeout: LIVE_MS });
});
