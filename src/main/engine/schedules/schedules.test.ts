import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScheduleIdSchema } from '../../../shared/keys/schedule-id';
import { silentLogger } from '../../../shared/logger';
import type { Schedule } from '../../../shared/system/schedules';
import { BACKUP_MANIFEST } from '../backup/backup-format';
import { defaultJobKinds } from '../jobs/default-kinds';
import { JobManager } from '../jobs/job-manager';
import { storesOf } from '../jobs/kinds/index-verify-job';
import { FakeClock } from '../jobs/testing/fake-clock';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { applyRetention, backupFolder } from './backup-retention';
import { MaintenanceScheduler } from './maintenance-scheduler';
import { cronProblem, nextRunAt } from './next-run';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const cron = (expression: string, timezone: string | null = 'UTC') => ({ interval_seconds: null, cron: expression, timezone });

/** Successive runs from `from`, each counted from the one before (as the scheduler does after each run). */
function runs(timing: ReturnType<typeof cron>, from: string, n: number): (string | null)[] {
  const out: (string | null)[] = [];
  let since = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextRunAt(timing, since);
    out.push(iso(next));
    if (next === null) break;
    since = next;
  }
  return out;
}

describe('next runs', () => {
  it('count an interval from the last run', () => {
    expect(nextRunAt({ interval_seconds: 3600, cron: null, timezone: null }, at('2026-01-31T23:30:00Z'))).toBe(at('2026-02-01T00:30:00Z'));
  });

  it('skip months without the day, and find the last day of February in leap years', () => {
    expect(runs(cron('0 0 31 * *'), '2026-01-31T00:00:00Z', 3)).toEqual(['2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z']);
    expect(runs(cron('0 12 L * *'), '2028-02-01T00:00:00Z', 3)).toEqual(['2028-02-29T12:00:00.000Z', '2028-03-31T12:00:00.000Z', '2028-04-30T12:00:00.000Z']);
    expect(runs(cron('0 12 L * *'), '2027-02-01T00:00:00Z', 1)).toEqual(['2027-02-28T12:00:00.000Z']);
  });

  it('run once on the day a local time does not exist (spring forward) and once when it happens twice (fall back)', () => {
    // Europe/Berlin: 02:00 → 03:00 on 29 March 2026; 03:00 → 02:00 on 25 October 2026.
    expect(runs(cron('30 2 * * *', 'Europe/Berlin'), '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that night
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
    expect(runs(cron('30 2 * * *', 'Europe/Berlin'), '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 only
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ]);
    // An hourly schedule keeps running every real hour through the repeated hour.
    expect(runs(cron('0 * * * *', 'Europe/Berlin'), '2026-10-24T23:30:00Z', 3)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ]);
  });

  it('names what is wrong with a cron expression or a time zone', () => {
    expect(cronProblem('0 3 * * *', 'Europe/Berlin')).toBeUndefined();
    expect(cronProblem('not cron', null)).toMatch(/.+/);
    expect(cronProblem('0 3 * * *', 'Mars/Olympus')).toBe('unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Berlin)');
    expect(cronProblem('0 0 30 2 *', null)).toBe('never runs');
  });
});

describe('backup folders and retention', () => {
  const root = mkdtempSync(join(tmpdir(), 'kalam-retention-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names each run by its start time (UTC), with a counter when the name is taken', () => {
    const taken = new Set(['/b/kalam-20261207-065754']);
    expect(backupFolder('/b/kalam-{timestamp}', at('2026-12-07T06:57:54.900Z'), (p) => taken.has(p))).toBe('/b/kalam-20261207-065754-2');
    expect(backupFolder('/b/kalam-{timestamp}', at('2026-12-07T06:57:55Z'), (p) => taken.has(p))).toBe('/b/kalam-20261207-065755');
  });

  it('deletes only the oldest backups this schedule made, whatever else the folder holds', () => {
    let trial = 0;
    const entry = fc.record({
      name: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      kind: fc.constantFrom('ours', 'other-backup', 'lookalike', 'file', 'ours-gone', 'ours-not-backup'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 14 }), fc.integer({ min: 1, max: 5 }), (entries, keep) => {
        const dir = join(root, `t${trial++}`);
        mkdirSync(dir);
        const made: string[] = [];
        for (const { name, kind } of entries) {
          const path = join(dir, name);
          if (kind === 'file') writeFileSync(path, 'x');
          else if (kind !== 'ours-gone') mkdirSync(path);
          if (kind === 'ours' || kind === 'other-backup') writeFileSync(join(path, BACKUP_MANIFEST), '{}');
          if (kind === 'lookalike') writeFileSync(join(path, 'kalam.sqlite'), '');
          if (kind.startsWith('ours')) made.push(path);
        }
        const before = new Set(readdirSync(dir));
        const ours = entries.filter((e) => e.kind === 'ours').map((e) => join(dir, e.name));
        const { kept, deleted } = applyRetention(made, keep);
        expect(deleted).toEqual(ours.slice(0, Math.max(0, ours.length - keep)));
        expect(kept).toEqual(ours.slice(Math.max(0, ours.length - keep)));
        // Everything else is where it was.
        const after = new Set(readdirSync(dir));
        for (const name of before) expect(after.has(name)).toBe(!deleted.includes(join(dir, name)));
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 80 },
    );
  });
});

describe('MaintenanceScheduler', () => {
  const env = useTestEngine('each');
  let clock: FakeClock;
  let manager: JobManager;
  let scheduler: MaintenanceScheduler | undefined;
  let backups: string;
  const T0 = at('2026-12-07T06:00:00Z');
  const sid = (s: string) => ScheduleIdSchema.parse(s);

  beforeEach(async () => {
    clock = new FakeClock(T0);
    manager = new JobManager({ engine: env.engine, kinds: defaultJobKinds(), logger: silentLogger });
    await manager.start();
    backups = join(env.data.dir, 'backups');
  });
  afterEach(async () => {
    scheduler?.stop();
    scheduler = undefined;
    await manager.close(1000);
  });

  function schedule(id: string, settings: Partial<Schedule>): Schedule {
    return env.engine.system.schedules.insert({
      schedule_id: sid(id),
      kind: 'backup',
      enabled: true,
      interval_seconds: 3600,
      cron: null,
      timezone: null,
      missed: 'run_once',
      folder_template: join(backups, 'nightly-{timestamp}'),
      keep_last: 2,
      table: null,
      min_segments: null,
      small_mb: null,
      last_run_at: null,
      last_job_id: null,
      last_outcome: null,
      backups: [],
      created_at: T0,
      updated_at: T0,
      ...settings,
    });
  }

  const folders = () => (existsSync(backups) ? readdirSync(backups).sort() : []);

  it('a backup schedule with retention 2, run three times an hour apart, leaves its two newest backups and nothing of others touched', async () => {
    mkdirSync(backups, { recursive: true });
    mkdirSync(join(backups, 'hand-made'));
    writeFileSync(join(backups, 'hand-made', BACKUP_MANIFEST), '{}');
    schedule('nightly', {});
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock });
    expect(scheduler.check()).toEqual([]);
    for (let i = 1; i <= 3; i++) {
      clock.advance(3600_000);
      expect(scheduler.check()).toEqual(['nightly']);
      // Not twice for the same time.
      expect(scheduler.check()).toEqual([]);
      await vi.waitFor(() => expect(env.engine.system.schedules.get(sid('nightly'))!.last_outcome).toMatch(/completed/), { timeout: 20_000 });
    }
    expect(folders()).toEqual(['hand-made', 'nightly-20261207-080000', 'nightly-20261207-090000']);
    const s = env.engine.system.schedules.get(sid('nightly'))!;
    expect(s.backups).toEqual([join(backups, 'nightly-20261207-080000'), join(backups, 'nightly-20261207-090000')]);
    expect(s.last_outcome).toMatch(/deleted 1 older backup of this schedule$/);
    expect(env.engine.system.jobs.get(s.last_job_id!)).toMatchObject({
      job_type: 'backup',
      status: 'completed',
      parameters: { folder: join(backups, 'nightly-20261207-090000') },
    });
  });

  it('runs a missed run once at start (run_once), or waits for the next one (skip)', () => {
    const lastRun = T0 - 5 * 3600_000;
    schedule('catch_up', { kind: 'evict', folder_template: null, keep_last: null, missed: 'run_once', last_run_at: lastRun });
    schedule('skipper', { kind: 'evict', folder_template: null, keep_last: null, missed: 'skip', last_run_at: lastRun });
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock });
    expect(scheduler.check()).toEqual(['catch_up']);
    // Five missed hours made one run, not five.
    expect(scheduler.check()).toEqual([]);
    expect(iso(scheduler.nextRun(env.engine.system.schedules.get(sid('skipper'))!))).toBe('2026-12-07T07:00:00.000Z');
    clock.advance(3600_000);
    expect(scheduler.check()).toEqual(['catch_up', 'skipper']);
  });

  it('in read-only mode runs backups (they only read) and records why it did not run writing kinds', () => {
    schedule('compactor', { kind: 'compact', folder_template: null, keep_last: null, min_segments: 2 });
    schedule('backup', {});
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock });
    env.engine.readOnly.set(true);
    clock.advance(3600_000);
    expect(scheduler.check()).toEqual(['backup', 'compactor']);
    expect(env.engine.system.schedules.get(sid('compactor'))!.last_outcome).toMatch(/^not run: .*read-only/i);
    expect(env.engine.system.schedules.get(sid('backup'))!.last_job_id).toMatch(/^BK-/);
    env.engine.readOnly.set(false);
  });

  it('verifies every index as an ordinary job, in read-only mode too, and fails the run naming an index that disagrees', async () => {
    schedule('verify', { kind: 'index_verify', folder_template: null, keep_last: null });
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock });
    const outcome = () => env.engine.system.schedules.get(sid('verify'))!;
    env.engine.readOnly.set(true);
    clock.advance(3600_000);
    expect(scheduler.check()).toEqual(['verify']);
    env.engine.readOnly.set(false);
    await vi.waitFor(() => expect(outcome().last_outcome).toMatch(/^IV-\S+ completed: 5 indexes consistent$/), { timeout: 20_000 });
    const first = env.engine.system.jobs.get(outcome().last_job_id!)!;
    expect(first).toMatchObject({ job_type: 'index_verify', status: 'completed', parameters: {} });
    expect((first.result as { indexes: { table: string; index: string; entries: number }[] }).indexes).toContainEqual(
      expect.objectContaining({ table: 'system.jobs', index: 'status_created', missing: 0, orphaned: 0, wrong: 0 }),
    );

    // The finished job's entry goes missing from system.jobs' status index (it never changes again).
    const jobs = env.engine.system.jobs;
    const status = jobs.indexes.get('status_created')!;
    const pk = jobs.keyCodec.encode(first.job_id);
    jobs.backend.delete(status.partition, status.entryFor(pk, jobs.getRaw(pk)!)!.key);

    clock.advance(3600_000);
    expect(scheduler.check()).toEqual(['verify']);
    await vi.waitFor(() => expect(outcome().last_outcome).toMatch(/ failed: /), { timeout: 20_000 });
    expect(outcome().last_outcome).toMatch(
      /^IV-\S+ failed: 1 inconsistent index: system\.jobs status_created \(1 missing, 0 orphaned, 0 wrong\); rebuild it on the Indexes page$/,
    );
    expect(jobs.get(outcome().last_job_id!)).toMatchObject({ status: 'failed', retries: 0 });
  });

  it('verifies one system table when the schedule names it, and refuses a table that is not one', async () => {
    expect(() => storesOf(env.engine, 'demo.notes')).toThrow(/system table demo\.notes/);
    expect(() => storesOf(env.engine, 'system.nothing')).toThrow(/system table system\.nothing/);
    expect(storesOf(env.engine, 'system.users').map((s) => s.partition)).toEqual(['system.users']);
    schedule('users_only', { kind: 'index_verify', folder_template: null, keep_last: null, table: 'system.users' });
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock });
    clock.advance(3600_000);
    expect(scheduler.check()).toEqual(['users_only']);
    await vi.waitFor(() => expect(env.engine.system.schedules.get(sid('users_only'))!.last_outcome).toMatch(/completed: 2 indexes consistent$/), {
      timeout: 20_000,
    });
  });

  it('follows its clock: start() checks now and again every checkEveryMs, and stop() ends it', () => {
    schedule('every_hour', { kind: 'evict', folder_template: null, keep_last: null });
    scheduler = new MaintenanceScheduler({ engine: env.engine, manager, clock, checkEveryMs: 60_000 });
    scheduler.start();
    expect(env.engine.system.schedules.get(sid('every_hour'))!.last_run_at).toBeNull();
    clock.advance(3600_000);
    expect(env.engine.system.schedules.get(sid('every_hour'))!.last_run_at).toBe(T0 + 3600_000);
    scheduler.stop();
    expect(clock.pending()).toEqual([]);
  });
});
