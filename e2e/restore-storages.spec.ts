/**
 * Where a restore puts a storage's files (issue 12 §1): a storage folder of this database outside
 * the data directory is written only once the user ticks it in the restore summary; unticked, its
 * files are confined under the data directory. On this file's own server, whose data directory has
 * a table on such a storage.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import { storageFixture } from '../src/shared/system/storages.test-support';
import { TableIdKey } from '../src/shared/keys/table-id';
import { waitForRows } from './support/app';
import { openDataTable, rowWithCell } from './support/data';
import { backUp, checkBackup, expectJobStatus, openJobs } from './support/jobs';
import { seedDemoData, testWithOwnServer } from './support/own-server';

const TABLE = 'demo.archive';

/** The storage folder of `ext`: beside the data directory, not in it. */
const extFolder = (dataDir: string) => join(dirname(dataDir), 'ext-storage');

/** The demo data, and demo.archive: a shared table on storage `ext`, whose folder is outside the data directory. */
function prepare(dataDir: string): void {
  seedDemoData(dataDir);
  mkdirSync(extFolder(dataDir), { recursive: true });
  const engine = Engine.openDataDir(dataDir);
  try {
    const now = Date.now();
    engine.system.storages.insert(storageFixture('ext', extFolder(dataDir), now, { storage_name: 'External disk' }));
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'demo',
      name: 'archive',
      type: 'shared',
      access_level: 'public',
      storage_id: 'ext',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text' },
      ],
    });
    engine.data.shared(TableIdKey.parse(TABLE)).insertRows(SYSTEM_SUBJECT, [
      { id: 1, title: 'first' },
      { id: 2, title: 'second' },
    ]);
  } finally {
    engine.close();
  }
}

const test = testWithOwnServer({ name: 'restore-storages', prepare });

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(root, path));
    }
  };
  if (statSync(root, { throwIfNoEntry: false })) walk(root);
  return out.sort();
}

/** The table's rows (hot and flushed alike) show these titles. */
async function expectTitles(page: Page, titles: readonly string[]): Promise<void> {
  await openDataTable(page, TABLE);
  for (const title of titles) await expect(rowWithCell(page, title)).toBeVisible();
}

function storageGroup(dialog: Locator): Locator {
  return dialog.getByRole('group', { name: 'Where the storage files go' });
}

test('a storage folder outside the data directory is written only once ticked in the restore summary', async ({ page, ownServer }) => {
  test.setTimeout(120_000);
  const ext = extFolder(ownServer.dataDir);
  const folder = join(ownServer.dir, 'backups', 'with-ext');

  await test.step('flush the table into its storage outside the data directory, then back up', async () => {
    await page.goto(`/#/table/${TABLE}`);
    await waitForRows(page);
    await page.getByRole('button', { name: 'Flush to Parquet' }).click();
    await openJobs(page);
    await expectJobStatus(page, `Flush ${TABLE}`, 'Completed');
    expect(filesUnder(ext).some((f) => f.endsWith('.parquet'))).toBe(true);
    await backUp(page, folder);
  });

  /** The storage folder loses its files; only a ticked restore may put them back there. */
  const emptyExt = () => {
    rmSync(ext, { recursive: true, force: true });
    mkdirSync(ext);
  };

  await test.step('ticked: the summary names the folder, and the restore writes its files there', async () => {
    emptyExt();
    const dialog = await checkBackup(page, folder);
    const storages = storageGroup(dialog);
    await expect(storages).toContainText(`${ext} is outside the data directory, in the folder of a storage of this database`);
    await storages.getByRole('checkbox', { name: `Restore its files into ${ext}` }).check();
    await expect(storages.locator('code').first()).toHaveText(ext);
    await dialog.getByRole('button', { name: 'Replace all data with this backup' }).click();
    await expect(dialog).toBeHidden();
    await expectJobStatus(page, `Restore from ${folder}`, 'Completed');
    expect(filesUnder(ext).some((f) => f.endsWith('.parquet'))).toBe(true);
    await expectTitles(page, ['first', 'second']);
  });

  await test.step('unticked: the files land inside the data directory, and the folder stays empty', async () => {
    emptyExt();
    await openJobs(page);
    const dialog = await checkBackup(page, folder);
    const storages = storageGroup(dialog);
    const tick = storages.getByRole('checkbox', { name: `Restore its files into ${ext}` });
    await expect(tick).not.toBeChecked();
    await expect(storages).toContainText(/ext: 1 file \([\d.]+ K?i?B\) into/);
    await expect(storages.locator('code').first()).not.toHaveText(ext);
    const destination = (await storages.locator('code').first().textContent()) ?? '';
    expect(relative(ownServer.dataDir, destination).startsWith('..')).toBe(false);
    await dialog.getByRole('button', { name: 'Replace all data with this backup' }).click();
    await expect(dialog).toBeHidden();
    await expectJobStatus(page, `Restore from ${folder}`, 'Completed');
    expect(filesUnder(ext)).toEqual([]);
    expect(filesUnder(destination).some((f) => f.endsWith('.parquet'))).toBe(true);
    await expectTitles(page, ['first', 'second']);
  });

  await test.step('the folder is no longer a storage folder of this database: nothing to tick, the summary says why', async () => {
    await openJobs(page);
    const dialog = await checkBackup(page, folder);
    const storages = storageGroup(dialog);
    await expect(storages).toContainText(`${ext} is outside the data directory and is not a storage folder of this database`);
    await expect(storages.getByRole('checkbox')).toHaveCount(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(filesUnder(ext)).toEqual([]);
  });
});
