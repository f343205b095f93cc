import { afterEach, describe, expect, it } from 'vitest';
import type { FolderPicker, FolderPickerOptions } from './app-services';
import { expectError, type Harness, openHarness } from './test-support';

/** A picker answering from a script, recording what it was asked. */
function scriptedPicker(answers: (string | null | Error)[]): FolderPicker & { calls: FolderPickerOptions[] } {
  const calls: FolderPickerOptions[] = [];
  return {
    calls,
    pickFolder(options) {
      calls.push(options);
      const next = answers.shift();
      if (next === undefined) throw new Error('unexpected dialog');
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
}

let h: Harness | undefined;
afterEach(() => h?.close());

describe('host without a folder dialog (web mode)', () => {
  it('says so, and pickFolder is a typed NOT_FOUND with a clear message', async () => {
    h = openHarness();
    expect(await h.client.host.capabilities()).toEqual({ folderDialog: false });
    const e = await expectError(h.client.host.pickFolder({ purpose: 'backup' }), 'NOT_FOUND');
    expect(e.message).toMatch(/no folder dialog.*type the folder’s path/);
    expect(h.logged).toEqual([]);
  });

  it('still validates the input first', async () => {
    h = openHarness();
    await expectError(h.client.host.pickFolder({ purpose: 'delete' } as never), 'VALIDATION');
  });
});

describe('host with a folder dialog (Electron)', () => {
  it('reports the capability', async () => {
    h = openHarness({ folderPicker: scriptedPicker([]) });
    expect(await h.client.host.capabilities()).toEqual({ folderDialog: true });
  });

  it('opens a backup dialog that may create a folder, starting at defaultPath, and returns the choice', async () => {
    const picker = scriptedPicker(['/home/me/backups/b1']);
    h = openHarness({ folderPicker: picker });
    expect(await h.client.host.pickFolder({ purpose: 'backup', defaultPath: '/home/me/backups' })).toEqual({ path: '/home/me/backups/b1' });
    expect(picker.calls).toEqual([
      { title: 'Choose a folder for the backup', createDirectory: true, defaultPath: '/home/me/backups', connectionId: 'test-connection' },
    ]);
  });

  it('opens a restore dialog for an existing folder; a cancel is path null', async () => {
    const picker = scriptedPicker([null]);
    h = openHarness({ folderPicker: picker });
    expect(await h.client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: null });
    expect(picker.calls).toEqual([
      { title: 'Choose a backup folder to restore', createDirectory: false, defaultPath: undefined, connectionId: 'test-connection' },
    ]);
  });

  it('works in read-only mode (it only opens a dialog)', async () => {
    h = openHarness({ readOnly: true, folderPicker: scriptedPicker(['C:\\backups']) });
    expect(await h.client.host.pickFolder({ purpose: 'restore' })).toEqual({ path: 'C:\\backups' });
  });

  it('rejects bad input with VALIDATION on the field, without opening a dialog', async () => {
    const picker = scriptedPicker([]);
    h = openHarness({ folderPicker: picker });
    const purpose = await expectError(h.client.host.pickFolder({ purpose: 'delete' } as never), 'VALIDATION');
    expect(purpose.data).toMatchObject({ issues: [{ field: 'purpose' }] });
    const relative = await expectError(h.client.host.pickFolder({ purpose: 'backup', defaultPath: 'backups/today' }), 'VALIDATION');
    expect(relative.data).toEqual({ issues: [{ field: 'defaultPath', message: 'must be an absolute path' }] });
    await expectError(h.client.host.pickFolder({ purpose: 'backup', defaultPath: '/a\0b' }), 'VALIDATION');
    await expectError(h.client.host.pickFolder(undefined as never), 'VALIDATION');
    expect(picker.calls).toEqual([]);
  });

  it('a failing dialog is logged and reaches the client as a generic error', async () => {
    h = openHarness({ folderPicker: scriptedPicker([new Error('dialog exploded')]) });
    const call = h.client.host.pickFolder({ purpose: 'backup' });
    await expect(call).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(h.logged).toMatchObject([{ message: 'procedure failed unexpectedly', fields: { procedure: 'host.pickFolder' } }]);
  });
});
