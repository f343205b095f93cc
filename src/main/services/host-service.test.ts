import { afterEach, describe, expect, it } from 'vitest';
import type { FolderPickerOptions, NativeDialogs, SaveFileOptions } from './app-services';
import { expectError, type Harness, openHarness } from './test-support';

/** Dialogs answering from a script (folder and save dialogs alike), recording what they were asked. */
function scriptedPicker(answers: (string | null | Error)[]): NativeDialogs & { calls: (FolderPickerOptions | SaveFileOptions)[] } {
  const calls: (FolderPickerOptions | SaveFileOptions)[] = [];
  const answer = (options: FolderPickerOptions | SaveFileOptions) => {
    calls.push(options);
    const next = answers.shift();
    if (next === undefined) throw new Error('unexpected dialog');
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { calls, pickFolder: answer, pickSaveFile: answer };
}

let h: Harness | undefined;
afterEach(() => h?.close());

describe('host without a folder dialog (web mode)', () => {
  it('says so, and pickFolder is a typed NOT_FOUND with a clear message', async () => {
    h = openHarness();
    expect(await h.client.host.capabilities()).toEqual({ folderDialog: false, saveDialog: false });
    const e = await expectError(h.client.host.pickFolder({ purpose: 'backup' }), 'NOT_FOUND');
    expect(e.message).toMatch(/no folder dialog.*type the folder’s path/);
    expect(h.logged).toEqual([]);
  });

  it('still validates the input first', async () => {
    h = openHarness();
    await expectError(h.client.host.pickFolder({ purpose: 'delete' } as never), 'VALIDATION');
  });

  it('has no save dialog either: pickSaveFile is a typed NOT_FOUND saying to type the path', async () => {
    h = openHarness();
    const e = await expectError(h.client.host.pickSaveFile({ purpose: 'export', format: 'csv' }), 'NOT_FOUND');
    expect(e.message).toMatch(/no save dialog.*type the file’s path/);
  });
});

describe('host with a folder dialog (Electron)', () => {
  it('reports the capability', async () => {
    h = openHarness({ dialogs: scriptedPicker([]) });
    expect(await h.client.host.capabilities()).toEqual({ folderDialog: true, saveDialog: true });
  });

  it('opens a backup dialog that may create a folder, starting at defaultPath, and returns the choice', async () => {
    const picker = scriptedPicker(['/home/me/backups/b1']);
    h = openHarness({ dialogs: picker });
    expect(await h.client.host.pickFolder({ purpose: 'backup', defaultPath: '/home/me/backups' })).toEqual({ path: '/home/me/backups/b1' });
    expect(picker.calls).toEqual([
      { title: 'Choose a folder for the backup', createDirectory: true, defaultPath: '/home/me/backups', connectionId: 'test-connection' },
    ]);
  });

  it('opens a restore dialog for an existing folder; a cancel is path null', async () => {
    const picker = scriptedPicker([null]);
    h = openHarness({ dialogs: picker });
    expect(await h.client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: null });
    expect(picker.calls).toEqual([
      { title: 'Choose a backup folder to restore', createDirectory: false, defaultPath: undefined, connectionId: 'test-connection' },
    ]);
  });

  it('works in read-only mode (it only opens a dialog)', async () => {
    h = openHarness({ readOnly: true, dialogs: scriptedPicker(['C:\\backups']) });
    expect(await h.client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: 'C:\\backups' });
  });

  it('rejects bad input with VALIDATION on the field, without opening a dialog', async () => {
    const picker = scriptedPicker([]);
    h = openHarness({ dialogs: picker });
    const purpose = await expectError(h.client.host.pickFolder({ purpose: 'delete' } as never), 'VALIDATION');
    expect(purpose.data).toMatchObject({ issues: [{ field: 'purpose' }] });
    const relative = await expectError(h.client.host.pickFolder({ purpose: 'backup', defaultPath: 'backups/today' }), 'VALIDATION');
    expect(relative.data).toEqual({ issues: [{ field: 'defaultPath', message: 'must be an absolute path' }] });
    await expectError(h.client.host.pickFolder({ purpose: 'backup', defaultPath: '/a\0b' }), 'VALIDATION');
    await expectError(h.client.host.pickFolder(undefined as never), 'VALIDATION');
    expect(picker.calls).toEqual([]);
  });

  it("opens a save dialog for an export, offering the format's files and starting at defaultPath; a cancel is path null", async () => {
    const picker = scriptedPicker(['/home/me/out/orders.parquet', null]);
    h = openHarness({ readOnly: true, dialogs: picker });
    expect(await h.client.host.pickSaveFile({ purpose: 'export', format: 'parquet', defaultPath: '/home/me/out/demo.products.parquet' })).toEqual({
      path: '/home/me/out/orders.parquet',
    });
    expect(await h.client.host.pickSaveFile({ purpose: 'export', format: 'jsonl' })).toEqual({ path: null });
    expect(picker.calls).toEqual([
      {
        title: 'Export to',
        defaultPath: '/home/me/out/demo.products.parquet',
        filters: [{ name: 'Parquet', extensions: ['parquet'] }],
        connectionId: 'test-connection',
      },
      { title: 'Export to', defaultPath: undefined, filters: [{ name: 'JSON Lines', extensions: ['jsonl'] }], connectionId: 'test-connection' },
    ]);
    for (const bad of [
      { purpose: 'backup', format: 'csv' },
      { purpose: 'export', format: 'xlsx' },
      { purpose: 'export', format: 'csv', defaultPath: 'out.csv' },
      { purpose: 'export', format: 'csv', extra: 1 },
    ]) {
      await expectError(h.client.host.pickSaveFile(bad as never), 'VALIDATION');
    }
    expect(picker.calls).toHaveLength(2);
  });

  it('a failing dialog is logged and reaches the client as a generic error', async () => {
    h = openHarness({ dialogs: scriptedPicker([new Error('dialog exploded')]) });
    const call = h.client.host.pickFolder({ purpose: 'backup' });
    await expect(call).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(h.logged).toMatchObject([{ message: 'procedure failed unexpectedly', fields: { procedure: 'host.pickFolder' } }]);
  });
});
