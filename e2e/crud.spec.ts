/** Create, edit (and undo), clone and delete a user through the toolbar and the editor dialog. */
import { expect, test } from './fixtures';
import { action, cell, createUser, dialog, editRow, notifications, openTable, rowByKey, uniqueName } from './support/app';

test('create, edit, undo, clone and delete a user', async ({ page }) => {
  const name = uniqueName('crud');
  const id = `u_${name}`;
  await openTable(page, 'users');

  await test.step('create', async () => {
    await createUser(page, { userId: id, username: name, email: `${name}@example.com`, role: 'service' });
    // The new row is selected and shown.
    await expect(rowByKey(page, id)).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('heading', { name: `Row ${id}` })).toBeVisible();
    await expect(await cell(page, id, 'username')).toHaveText(name);
    await expect(await cell(page, id, 'role')).toHaveText('service');
    await expect(await cell(page, id, 'email')).toHaveText(`${name}@example.com`);
  });

  await test.step('edit', async () => {
    const editor = await editRow(page, id);
    await expect(editor.getByLabel('Username')).toHaveValue(name);
    await editor.getByLabel('Email').fill(`${name}@changed.example`);
    await editor.getByLabel('Role').selectOption('dba');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
    await expect(notifications(page)).toContainText(`Saved user ${id}.`);
    await expect(await cell(page, id, 'email')).toHaveText(`${name}@changed.example`);
    await expect(await cell(page, id, 'role')).toHaveText('dba');
  });

  await test.step('undo the edit from the toast', async () => {
    await notifications(page).getByRole('button', { name: 'Undo' }).click();
    await expect(notifications(page)).toContainText(`Undid the changes to user ${id}.`);
    await expect(await cell(page, id, 'email')).toHaveText(`${name}@example.com`);
    await expect(await cell(page, id, 'role')).toHaveText('service');
  });

  const cloneName = `${name}c`;
  const cloneId = `u_${cloneName}`;
  await test.step('clone', async () => {
    await rowByKey(page, id).click();
    await action(page, 'Clone').click();
    const editor = dialog(page, 'Clone user');
    // The key and the unique username start empty; the rest is copied.
    await expect(editor.getByLabel('User ID')).toHaveValue('');
    await expect(editor.getByLabel('Username')).toHaveValue('');
    await expect(editor.getByLabel('Email')).toHaveValue(`${name}@example.com`);
    await expect(editor.getByLabel('Role')).toHaveValue('service');
    await editor.getByLabel('User ID').fill(cloneId);
    await editor.getByLabel('Username').fill(cloneName);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
    await expect(notifications(page)).toContainText(`Created user ${cloneId}.`);
    await expect(await cell(page, cloneId, 'username')).toHaveText(cloneName);
    await expect(await cell(page, cloneId, 'role')).toHaveText('service');
    await expect(await cell(page, cloneId, 'email')).toHaveText(`${name}@example.com`);
  });

  await test.step('delete', async () => {
    await rowByKey(page, cloneId).click();
    await action(page, 'Delete').click();
    const confirm = page.getByRole('alertdialog', { name: `Delete user ${cloneId}?` });
    await expect(confirm).toContainText('marked as deleted');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(notifications(page)).toContainText(`Deleted user ${cloneId}.`);
    // Users are soft-deleted: the row stays, with deleted_at set.
    await expect(await cell(page, cloneId, 'deleted_at')).not.toHaveText('null');
    await expect(await cell(page, id, 'deleted_at')).toHaveText('null');
  });
});

test('a taken username and an invalid email are shown on their fields', async ({ page }) => {
  await openTable(page, 'users');
  await action(page, 'New').click();
  const editor = dialog(page, 'New user');
  const name = uniqueName('dup');

  await test.step('invalid email', async () => {
    await editor.getByLabel('Username').fill(name);
    await editor.getByLabel('Email').fill('not-an-email');
    await editor.getByRole('button', { name: 'Save' }).click();
    const email = editor.getByLabel('Email');
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription(/must be a valid email address/);
    await expect(editor.getByLabel('Username')).not.toHaveAttribute('aria-invalid', 'true');
    await expect(email).toBeFocused();
  });

  await test.step('username already taken (checked by the engine)', async () => {
    await editor.getByLabel('Email').fill('');
    await editor.getByLabel('Username').fill('alice');
    await editor.getByRole('button', { name: 'Save' }).click();
    const username = editor.getByLabel('Username');
    await expect(username).toHaveAttribute('aria-invalid', 'true');
    await expect(username).toHaveAccessibleDescription(/already taken/);
    await expect(editor.getByLabel('Email')).not.toHaveAttribute('aria-invalid', 'true');
    // Usernames are case-insensitive: "ALICE" is alice.
    await username.fill('ALICE');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(username).toHaveAccessibleDescription(/already taken/);
  });

  await test.step('nothing was created; cancelling asks before discarding', async () => {
    await expect(editor).toBeVisible();
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await expect(editor.getByText('Discard your unsaved changes?')).toBeVisible();
    await editor.getByRole('button', { name: 'Discard' }).click();
    await expect(editor).toBeHidden();
    await expect(rowByKey(page, 'u_alice')).toHaveCount(1);
  });
});
