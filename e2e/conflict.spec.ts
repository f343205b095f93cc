/**
 * Two people edit the same user from two browser contexts: the second save meets a newer version
 * and gets the conflict dialog, never a silent overwrite. Both ways out are checked against what
 * the grid then shows.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cell, conflictDialog, createUser, editRow, goToKey, notifications, openTable, uniqueName } from './support/app';

interface Setup {
  id: string;
  name: string;
  /** A's editor, opened before B saved, with A's unsaved email typed in. */
  mine: Locator;
  other: Page;
}

/** A creates a user and opens it with an edit pending; B then edits and saves the same user. */
async function editConcurrently(page: Page, openPage: () => Promise<Page>): Promise<Setup> {
  const name = uniqueName('conflict');
  const id = `u_${name}`;
  await openTable(page, 'users');
  await createUser(page, { userId: id, username: name, email: `${name}@start.example` });
  const mine = await editRow(page, id);
  await mine.getByLabel('Email').fill(`${name}@mine.example`);

  const other = await openPage();
  await openTable(other, 'users');
  await goToKey(other, id);
  const theirs = await editRow(other, id);
  await theirs.getByLabel('Email').fill(`${name}@theirs.example`);
  await theirs.getByRole('button', { name: 'Save' }).click();
  await expect(theirs).toBeHidden();
  await expect(await cell(other, id, 'email')).toHaveText(`${name}@theirs.example`);

  // A's open editor learns of the change through the live events, before A saves.
  await expect(mine.getByText('was changed by someone else after you opened it')).toBeVisible();
  await mine.getByRole('button', { name: 'Save' }).click();
  const conflict = conflictDialog(page);
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText('Nothing has been overwritten');
  // The differing field, with both values.
  await expect(conflict.getByRole('row', { name: `Email ${name}@mine.example ${name}@theirs.example` })).toBeVisible();
  return { id, name, mine, other };
}

test('conflict → Overwrite keeps my value', async ({ page, openPage }) => {
  const { id, name, mine, other } = await editConcurrently(page, openPage);
  await conflictDialog(page).getByRole('button', { name: 'Overwrite' }).click();
  await expect(conflictDialog(page)).toBeHidden();
  await expect(mine).toBeHidden();
  await expect(notifications(page)).toContainText(`Saved user ${id}.`);
  await expect(await cell(page, id, 'email')).toHaveText(`${name}@mine.example`);
  // The other context sees the stored value too (live update, no reload).
  await expect(await cell(other, id, 'email')).toHaveText(`${name}@mine.example`);
});

test('conflict → Reload takes their value, and a save after it succeeds', async ({ page, openPage }) => {
  const { id, name, mine, other } = await editConcurrently(page, openPage);
  await conflictDialog(page).getByRole('button', { name: 'Reload' }).click();
  await expect(conflictDialog(page)).toBeHidden();
  await expect(notifications(page)).toContainText('your changes were discarded');
  // The editor stays open, now on the stored values and version.
  await expect(mine.getByLabel('Email')).toHaveValue(`${name}@theirs.example`);
  await expect(mine.getByText('was changed by someone else')).toBeHidden();

  await mine.getByLabel('Role').selectOption('dba');
  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(mine).toBeHidden();
  await expect(conflictDialog(page)).toBeHidden();
  await expect(await cell(page, id, 'email')).toHaveText(`${name}@theirs.example`);
  await expect(await cell(page, id, 'role')).toHaveText('dba');
  await expect(await cell(other, id, 'role')).toHaveText('dba');
});
