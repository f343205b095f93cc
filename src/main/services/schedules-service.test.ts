import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());
const dir = mkdtempSync(join(tmpdir(), 'kalam-schedules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BACKUP = {
  schedule_id: 'nightly',
  kind: 'backup',
  enabled: true,
  interval_seconds: null,
  cron: '0 3 * * *',
  timezone: 'Europe/Berlin',
  missed: 'run_once',
  folder_template: join(dir, 'kalam-{timestamp}'),
  keep_last: 2,
  table: null,
  min_segments: null,
  small_mb: null,
};

describe('schedules', () => {
  it('are created in forms, listed with their next run, and run now as an ordinary job whose failure they record', async () => {
    await h.client.entities.create({ table: 'system.schedules', values: BACKUP });
    const [planned] = await h.client.schedules.list();
    expect(planned!.schedule).toMatchObject({ schedule_id: 'nightly', last_run_at: null, backups: [] });
    // 03:00 in Berlin is 02:00 UTC in November (the harness's clock: 14 November 2023).
    expect(new Date(planned!.next_run_at!).toISOString()).toMatch(/T02:00:00\.000Z$/);
    const { jobs, outcome } = await h.client.schedules.run({ id: 'nightly' });
    expect(jobs.map((j) => j.job_type)).toEqual(['backup']);
    expect(outcome).toMatch(/^backup to .*kalam-\d{8}-\d{6} queued$/);
    // The harness's database is in memory: the backup job fails, and the schedule says why (its
    // success and retention: src/main/engine/schedules/schedules.test.ts, on a file).
    await vi.waitFor(async () => expect((await h.client.schedules.list())[0]!.schedule.last_outcome).toMatch(/^BK-\S+ failed: an in-memory database/), {
      timeout: 20_000,
    });
    expect((await h.client.schedules.list())[0]!.schedule.backups).toEqual([]);
  });

  it('refuse a cron expression croner cannot read, an unknown time zone and settings that do not fit the kind, naming the field', async () => {
    const bad = async (values: Record<string, unknown>, field: string) => {
      const e = await expectError(h.client.entities.create({ table: 'system.schedules', values: { ...BACKUP, ...values } }), 'VALIDATION');
      expect(JSON.stringify(e.data)).toContain(field);
    };
    await bad({ cron: 'every day' }, 'cron');
    await bad({ timezone: 'Mars/Olympus' }, 'timezone');
    await bad({ interval_seconds: 3600 }, 'cron');
    await bad({ folder_template: join(dir, 'fixed') }, 'folder_template');
    await bad({ keep_last: null }, 'keep_last');
    expect(await h.client.schedules.list()).toEqual([]);
  });

  it('run a compaction schedule in read-only mode without starting anything, and say so', async () => {
    await h.client.entities.create({
      table: 'system.schedules',
      values: { ...BACKUP, schedule_id: 'compactor', kind: 'compact', folder_template: null, keep_last: null },
    });
    await h.client.engine.setReadOnly({ readOnly: true });
    const { jobs, outcome } = await h.client.schedules.run({ id: 'compactor' });
    expect(jobs).toEqual([]);
    expect(outcome).toMatch(/^not run: .*read-only/i);
  });

  it('verify the indexes of a system table named in the form (another table is refused), in read-only mode too', async () => {
    const VERIFY = { ...BACKUP, schedule_id: 'verify_users', kind: 'index_verify', folder_template: null, keep_last: null, table: 'demo.notes' };
    await expectError(h.client.entities.create({ table: 'system.schedules', values: VERIFY }), 'NOT_FOUND');
    await h.client.entities.create({ table: 'system.schedules', values: { ...VERIFY, table: 'system.users' } });
    await h.client.engine.setReadOnly({ readOnly: true });
    const { jobs, outcome } = await h.client.schedules.run({ id: 'verify_users' });
    expect(jobs.map((j) => [j.job_type, j.parameters])).toEqual([['index_verify', { table: 'system.users' }]]);
    expect(outcome).toBe('verification of system.users queued');
    await vi.waitFor(async () => expect((await h.client.schedules.list())[0]!.schedule.last_outcome).toMatch(/^IV-\S+ completed: 2 indexes consistent$/), {
      timeout: 20_000,
    });
  });
});
