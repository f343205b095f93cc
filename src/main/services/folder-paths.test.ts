import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostPathProblem } from '../engine/host-path';
import { defaultJobKinds } from '../engine/jobs/default-kinds';
import { expectError, type Harness, openHarness, snapshot } from './test-support';

/**
 * Folders the main process writes to or reads from are absolute on the machine it runs on. The
 * renderer's schema only checks syntax (any platform); the main process decides. These run the
 * POSIX side (CI runs Linux); host-path.test.ts covers both platforms' rules.
 */
const posix = process.platform !== 'win32';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

const issues = (e: { data?: unknown }) => (e.data as { issues: { field: string; message: string }[] }).issues;

const storage = (base: string) => ({
  storage_id: 'archive',
  storage_name: 'Archive',
  description: null,
  storage_type: 'filesystem',
  base_directory: base,
  shared_tables_template: '{namespace}/{tableName}',
  user_tables_template: '{namespace}/{tableName}/{userId}',
});

describe.runIf(posix)('folders: absolute for this platform, else refused with the reason', () => {
  it('a backup or restore into "C:\\x" or "\\\\server\\share" is refused; no job, nothing in the working folder', async () => {
    const before = snapshot(h.engine);
    for (const folder of ['C:\\x', '\\\\server\\share']) {
      for (const type of ['backup', 'restore'] as const) {
        const e = await expectError(h.client.jobs.start({ type, folder }), 'VALIDATION');
        expect(issues(e)).toEqual([{ field: 'folder', message: hostPathProblem(folder) }]);
        expect(e.message).toContain('is a Windows path');
      }
      const summary = await expectError(h.client.jobs.checkBackup({ folder }), 'VALIDATION');
      expect(issues(summary)).toEqual([{ field: 'folder', message: hostPathProblem(folder) }]);
      expect(existsSync(join(process.cwd(), folder))).toBe(false);
    }
    expect((await h.client.jobs.list({})).jobs).toEqual([]);
    expect(snapshot(h.engine)).toEqual(before);
  });

  it('a relative folder is refused by the contract already, with the reason', async () => {
    const e = await expectError(h.client.jobs.start({ type: 'backup', folder: 'backups' }), 'VALIDATION');
    expect(issues(e)).toEqual([{ field: 'folder', message: 'must be an absolute path' }]);
  });

  it('the job kinds refuse it too (the job manager parses their params: the CLI and retries start jobs there, not through the contract)', () => {
    const kinds = defaultJobKinds();
    for (const type of ['backup', 'restore'] as const) {
      const params = kinds.get(type)!.params;
      expect(params.safeParse({ folder: 'C:\\x' }).error?.issues).toMatchObject([{ path: ['folder'], message: hostPathProblem('C:\\x') }]);
      expect(params.safeParse({ folder: '/srv/backups/one' }).success).toBe(true);
    }
  });

  it('a storage base directory must be absolute here: on create and on edit', async () => {
    const before = snapshot(h.engine);
    const windows = await expectError(h.client.entities.create({ table: 'system.storages', values: storage('C:\\kalam\\parquet') }), 'VALIDATION');
    expect(issues(windows)).toEqual([{ field: 'base_directory', message: hostPathProblem('C:\\kalam\\parquet') }]);
    const relative = await expectError(h.client.entities.create({ table: 'system.storages', values: storage('data/parquet') }), 'VALIDATION');
    expect(issues(relative)).toEqual([{ field: 'base_directory', message: 'must be an absolute path' }]);
    expect(snapshot(h.engine)).toEqual(before);

    await h.client.entities.create({ table: 'system.storages', values: storage('/srv/kalam/parquet') });
    const created = await h.client.rows.get({ table: 'system.storages', key: 'archive' });
    const { storage_id: _id, created_at: _c, updated_at: _u, ...form } = created.row.values;
    const edit = await expectError(
      h.client.entities.update({ table: 'system.storages', key: 'archive', values: { ...form, base_directory: '\\\\nas\\kalam' }, version: created.version }),
      'VALIDATION',
    );
    expect(issues(edit)).toEqual([{ field: 'base_directory', message: hostPathProblem('\\\\nas\\kalam') }]);
    expect((await h.client.rows.get({ table: 'system.storages', key: 'archive' })).row.values.base_directory).toBe('/srv/kalam/parquet');
  });
});
