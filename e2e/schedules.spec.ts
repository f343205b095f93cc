/**
 * The maintenance planner's Schedules page: a backup schedule made in its form with retention 2,
 * run three times, leaves exactly two backups (and a folder it did not make untouched); edited
 * and deleted from the page; an index verification runs in read-only mode; read-only mode and a subject without the rights turn the controls
 * off with the reason; axe finds nothing serious in light and dark. On this file's own server.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { dialog, notifications, rpcFromPage } from './support/app';
import { expectAccessible } from './support/axe';
import { viewAs } from './support/data';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const test = testWithOwnServer({ name: 'schedules', prepare: seedDemoData });

/** The columns of a schedule's row, by header. */
const COLUMN = { what: 1, next: 3, last: 4, outcome: 5, kept: 6 } as const;

function scheduleRow(page: Page, id: string) {
  return page.getByTestId(`schedule-${id}`);
}

function column(page: Page, id: string, name: keyof typeof COLUMN) {
  return scheduleRow(page, id).getByRole('cell').nth(COLUMN[name]);
}

async function newSchedule(page: Page, id: string, fill: (editor: ReturnType<typeof dialog>) => Promise<void>): Promise<void> {
  await page.getByRole('toolbar', { name: 'Schedule actions' }).getByRole('button', { name: 'New schedule' }).click();
  const editor = dialog(page, 'New schedule');
  await editor.getByLabel('Schedule ID').fill(id);
  await fill(editor);
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden();
  await expect(notifications(page)).toContainText(`Created schedule ${id}.`);
}

test.afterEach(async ({ page }) => {
  // Never leave the server read-only for the next test, whatever happened here.
  await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false });
});

test('a backup schedule made on the Schedules page, with retention 2, run three times, leaves exactly two backups', async ({ page, ownServer }) => {
  test.setTimeout(120_000);
  const backups = join(ownServer.dir, 'backups');
  // A backup this schedule did not make: its retention must never touch it.
  mkdirSync(join(backups, 'someone-elses-backup'), { recursive: true });

  await page.goto('/#/');
  await page.getByRole('link', { name: 'Schedules', exact: true }).click();
  await expect(page).toHaveURL(/#\/schedules$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Schedules' })).toBeVisible();
  await expect(page.getByText('No schedules yet.')).toBeVisible();

  await newSchedule(page, 'nightly', async (editor) => {
    await editor.getByLabel('Kind').selectOption('backup');
    await editor.getByLabel('Enabled').check();
    await editor.getByLabel('Interval seconds').fill('86400');
    await editor.getByLabel('Folder template').fill(join(backups, 'kalam-{timestamp}'));
    await editor.getByLabel('Keep last').fill('2');
  });
  await expect(column(page, 'nightly', 'what')).toHaveText(`backup to ${join(backups, 'kalam-{timestamp}')}, keep the last 2`);
  await expect(column(page, 'nightly', 'last')).toHaveText('never');
  // Enabled, never run: the next run is a day after its creation.
  await expect(column(page, 'nightly', 'next')).not.toHaveText('—');

  for (const kept of [1, 2, 2]) {
    const before = (await column(page, 'nightly', 'outcome').textContent()) ?? '';
    await scheduleRow(page, 'nightly').getByRole('button', { name: 'Run now' }).click();
    // Each run is a new backup job; the row says it completed and how many backups it keeps.
    await expect(column(page, 'nightly', 'outcome')).not.toHaveText(before);
    await expect(column(page, 'nightly', 'outcome')).toContainText('completed', { timeout: 30_000 });
    await expect(column(page, 'nightly', 'kept')).toHaveText(String(kept));
  }
  await expect(column(page, 'nightly', 'outcome')).toContainText('deleted 1 older backup of this schedule');
  await expect(column(page, 'nightly', 'last')).not.toHaveText('never');
  const left = readdirSync(backups).sort();
  expect(left).toHaveLength(3);
  expect(left.filter((name) => name.startsWith('kalam-'))).toHaveLength(2);
  expect(left).toContain('someone-elses-backup');

  await test.step("the outcome's job opens on the Jobs page", async () => {
    const job = column(page, 'nightly', 'outcome').getByRole('link');
    const id = (await job.textContent()) ?? '';
    expect(id).toMatch(/^BK-/);
    await job.click();
    await expect(page).toHaveURL(new RegExp(`#/jobs/${id}$`));
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1, name: 'Schedules' })).toBeVisible();
  });

  await test.step('edit the schedule in its form: the row follows', async () => {
    await scheduleRow(page, 'nightly').getByRole('button', { name: 'Edit' }).click();
    const editor = dialog(page, 'Edit schedule nightly');
    // The stored row is in the form (its retention) before it is changed.
    await expect(editor.getByLabel('Keep last')).toHaveValue('2');
    await editor.getByLabel('Keep last').fill('5');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(editor).toBeHidden();
    await expect(column(page, 'nightly', 'what')).toContainText('keep the last 5');
    // Its history stays: the two backups are still its own.
    await expect(column(page, 'nightly', 'kept')).toHaveText('2');
  });
});

test('read-only mode and a subject without the rights turn the controls off with the reason; create and delete; axe in light and dark', async ({
  page,
  ownServer,
}) => {
  test.setTimeout(120_000);
  await page.goto('/#/schedules');
  await newSchedule(page, 'offsite', async (editor) => {
    await editor.getByLabel('Kind').selectOption('backup');
    await editor.getByLabel('Cron').fill('0 3 * * *');
    await editor.getByLabel('Folder template').fill(join(ownServer.dir, 'offsite', '{timestamp}'));
    await editor.getByLabel('Keep last').fill('1');
  });
  await expect(column(page, 'offsite', 'what')).toContainText('keep the last 1');
  await newSchedule(page, 'verify', async (editor) => {
    await editor.getByLabel('Kind').selectOption('index_verify');
    await editor.getByLabel('Interval seconds').fill('86400');
  });
  await expect(column(page, 'verify', 'what')).toHaveText('verify the indexes of every system table');
  await newSchedule(page, 'tidy', async (editor) => {
    await editor.getByLabel('Kind').selectOption('compact');
    await editor.getByLabel('Interval seconds').fill('3600');
  });
  await expect(column(page, 'tidy', 'what')).toContainText('compact every table');
  await expect(column(page, 'tidy', 'next')).toHaveText('—');

  await test.step('read-only: no changes, and only backups may run now', async () => {
    expect((await rpcFromPage(page, 'engine/setReadOnly', { readOnly: true })).status).toBe(200);
    const create = page.getByRole('toolbar', { name: 'Schedule actions' }).getByRole('button', { name: 'New schedule' });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAttribute('title', 'Read-only mode is on');
    await expect(page.getByTestId('schedules-blocked')).toHaveText('Schedules cannot be created, edited or deleted: Read-only mode is on.');
    const tidy = scheduleRow(page, 'tidy');
    for (const name of ['Run now', 'Edit', 'Delete']) {
      await expect(tidy.getByRole('button', { name })).toBeDisabled();
      await expect(tidy.getByRole('button', { name })).toHaveAttribute('title', 'Read-only mode is on');
    }
    // A backup only reads: it may still run now.
    await expect(scheduleRow(page, 'offsite').getByRole('button', { name: 'Run now' })).toBeEnabled();
    await expect(scheduleRow(page, 'offsite').getByRole('button', { name: 'Edit' })).toBeDisabled();
    // So does a verification: run it now, as a job that checks every index.
    await scheduleRow(page, 'verify').getByRole('button', { name: 'Run now' }).click();
    await expect(column(page, 'verify', 'outcome')).toHaveText(/^IV-\S+ completed: \d+ indexes consistent$/, { timeout: 30_000 });
  });

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.getByTestId('schedule-tidy')).toBeVisible();
    await expectAccessible(page, `schedules (${scheme}, read-only)`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  await test.step('read-only off: a compaction runs now (nothing to compact) and the schedule is deleted', async () => {
    expect((await rpcFromPage(page, 'engine/setReadOnly', { readOnly: false })).status).toBe(200);
    const tidy = scheduleRow(page, 'tidy');
    await expect(tidy.getByRole('button', { name: 'Run now' })).toBeEnabled();
    await tidy.getByRole('button', { name: 'Run now' }).click();
    await expect(column(page, 'tidy', 'outcome')).toHaveText('nothing to compact');

    await tidy.getByRole('button', { name: 'Edit' }).click();
    await expect(dialog(page, 'Edit schedule tidy').getByRole('button', { name: 'Save' })).toBeVisible();
    await expectAccessible(page, 'schedule editor', 'dialog[open]');
    await dialog(page, 'Edit schedule tidy').getByRole('button', { name: 'Cancel' }).click();

    await tidy.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete schedule tidy?' });
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(notifications(page)).toContainText('Deleted schedule tidy.');
    await expect(tidy).toBeHidden();
  });

  await test.step('viewed as a user without the rights: the list is refused and nothing can be made', async () => {
    await viewAs(page, 'bob (user)');
    await expect(page.getByRole('alert').filter({ hasText: 'Schedules are unavailable' })).toBeVisible();
    const create = page.getByRole('toolbar', { name: 'Schedule actions' }).getByRole('button', { name: 'New schedule' });
    await expect(create).toBeDisabled();
    await expect(create).toHaveAttribute('title', /^Viewed as bob/);
    await viewAs(page, 'Admin (everything)');
    await expect(create).toBeEnabled();
  });
});
