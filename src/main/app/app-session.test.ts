import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRouterClient } from '@orpc/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../shared/logger';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import { Engine } from '../engine/engine';
import { JobCancelledError } from '../engine/jobs/job-context';
import { ROOT_USER_ID } from '../engine/migrations';
import { defaultJobKinds } from '../engine/jobs/default-kinds';
import { jobKind, jobKinds, type JobKind } from '../engine/jobs/job-kind';
import { appLockPath } from '../engine/process-lock';
import type { AppServices } from '../services/app-services';
import { AppSession, type AppSessionOptions } from './app-session';
import { RECENT_LIMIT } from './recent-dirs';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

let base: string;
let sessions: AppSession[];

/** Flushes wait here until released (or cancelled): what runs when a switch comes is up to the test. */
let gate: { release: () => void; wait: Promise<void> };
function newGate(): void {
  let release!: () => void;
  gate = { wait: new Promise<void>((r) => (release = r)), release: () => release() };
}
const gatedFlush = jobKind({
  ...(defaultJobKinds().get('flush') as JobKind<{ table: string }>),
  thread: 'main',
  run: async (_engine, p, ctx) => {
    await Promise.race([gate.wait, new Promise<void>((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new JobCancelledError())))]);
    return { table: p.table };
  },
});

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'kalam-session-'));
  sessions = [];
  newGate();
});
afterEach(() => {
  gate.release();
  for (const s of sessions) s.close();
  rmSync(base, { recursive: true, force: true });
});

function start(dir = join(base, 'first'), extra: Partial<AppSessionOptions> = {}): AppSession {
  const session = AppSession.start({
    dataDir: dir,
    mode: 'web',
    appVersion: '1.0.0-test',
    demo: true,
    readOnly: false,
    settingsDir: join(base, 'settings'),
    logger: silentLogger,
    jobs: { scheduleEveryMs: 0, concurrency: 1, kinds: jobKinds(...defaultJobKinds().values(), gatedFlush) },
    ...extra,
  });
  sessions.push(session);
  return session;
}

const clientOf = (s: AppServices) => createRouterClient(s.router, { context: s.context('test') });
const client = (session: AppSession) => clientOf(session.current().services);

/** A data directory made and closed beforehand (with the demo, or a table of its own). */
function makeDataDir(name: string, table?: string): string {
  const dir = join(base, name);
  const engine = Engine.openDataDir(dir);
  try {
    if (table) {
      engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'own' });
      engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: 'own', name: table, type: 'shared', columns: [{ name: 'id', type: 'integer', primary_key: true }] });
    }
  } finally {
    engine.close();
  }
  return dir;
}

/** The audit entries of data-directory switches in an engine's system.audit_log. */
function switchEntries(engine: Engine) {
  return [...engine.system.auditLog.scan()].map(([, e]) => e).filter((e) => e.action.startsWith('dataDirs.'));
}

/** The switch entries of a directory that is closed now (read by an engine of its own). */
function switchEntriesOf(dir: string) {
  const engine = Engine.openDataDir(dir);
  try {
    return switchEntries(engine);
  } finally {
    engine.close();
  }
}

/** Whether another process can take the app lock of `dir` (it runs the real tryLock). */
function otherProcessTakesLock(dir: string): string {
  const script = `import { tryLock } from ${JSON.stringify(join(ROOT, 'src/main/engine/process-lock.ts'))};
const lock = tryLock(${JSON.stringify(appLockPath(dir))});
if ('heldBy' in lock) console.log('held by ' + lock.heldBy); else { lock.release(); console.log('taken'); }`;
  return execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
}

describe('opening another data directory', () => {
  it('closes the old engine and releases its lock (another process takes it), opens the new one with its lock, and re-binds the services', async () => {
    const session = start();
    const first = session.current();
    const other = makeDataDir('other', 'widgets');
    expect(otherProcessTakesLock(first.dataDir)).toBe(`held by ${process.pid}`);

    const report = await client(session).dataDirs.open({ path: other });

    expect(report).toEqual({ path: other, name: 'other', created: false, closed: first.dataDir, jobs: [] });
    expect(first.engine.backend.open).toBe(false);
    expect(existsSync(appLockPath(first.dataDir))).toBe(false);
    expect(otherProcessTakesLock(first.dataDir)).toBe('taken');
    expect(otherProcessTakesLock(other)).toBe(`held by ${process.pid}`);
    // A second engine opens the old directory, with its demo data intact.
    const again = Engine.openDataDir(first.dataDir);
    try {
      expect(again.system.tables.exists({ namespace: 'demo', table: 'products' } as never)).toBe(true);
    } finally {
      again.close();
    }
    // Calls now reach the new directory's engine.
    const c = client(session);
    expect((await c.engine.info()).dataDir).toBe(other);
    const tables = (await c.tables.list()).map((t) => t.table);
    expect(tables).toContain('own.widgets');
    expect(tables).not.toContain('demo.products');
  });

  it('refuses while jobs are active unless told to wait or cancel; cancelled ones are reported as such', async () => {
    const session = start();
    const c = client(session);
    const running = (await c.jobs.start({ type: 'flush', table: 'demo.products' })).jobs[0]!;
    const queued = (await c.jobs.start({ type: 'flush', table: 'demo.notes' })).jobs[0]!;
    await expect.poll(async () => (await c.jobs.get({ id: running.job_id })).status).toBe('running');
    const other = makeDataDir('other');

    const refused = await c.dataDirs.open({ path: other }).catch((e: unknown) => e as { code: string; message: string });
    expect(refused).toMatchObject({ code: 'IN_USE' });
    expect((refused as { message: string }).message).toContain(
      `2 jobs are still active in ${session.current().dataDir}: ${running.job_id} (flush, running), ${queued.job_id} (flush, queued)`,
    );
    expect((await c.engine.info()).dataDir).toBe(join(base, 'first'));

    const report = await c.dataDirs.open({ path: other, runningJobs: 'cancel' });
    expect(report.jobs.map((j) => [j.id, j.status])).toEqual([
      [running.job_id, 'cancelled'],
      [queued.job_id, 'cancelled'],
    ]);
  });

  it('waits for running jobs when asked: they complete (queued ones are cancelled) and are reported', async () => {
    const session = start();
    const c = client(session);
    const running = (await c.jobs.start({ type: 'flush', table: 'demo.products' })).jobs[0]!;
    const queued = (await c.jobs.start({ type: 'flush', table: 'demo.notes' })).jobs[0]!;
    await expect.poll(async () => (await c.jobs.get({ id: running.job_id })).status).toBe('running');

    const switching = c.dataDirs.open({ path: makeDataDir('other'), runningJobs: 'wait' });
    // Still on the first directory while its job runs.
    await expect.poll(async () => (await c.jobs.get({ id: queued.job_id })).status).toBe('cancelled');
    expect(session.current().dataDir).toBe(join(base, 'first'));
    gate.release();
    const report = await switching;
    expect(report.jobs.map((j) => [j.id, j.status])).toEqual([
      [running.job_id, 'completed'],
      [queued.job_id, 'cancelled'],
    ]);
  });

  it('refuses a bad path with a typed error, and changes nothing', async () => {
    const session = start();
    const c = client(session);
    const first = session.current();
    writeFileSync(join(base, 'a-file'), 'x');
    mkdirSync(join(base, 'not-data'));
    mkdirSync(join(base, 'full'));
    writeFileSync(join(base, 'full', 'x'), 'x');
    const storageDir = join(base, 'archive');
    mkdirSync(storageDir);
    await c.entities.create({
      table: 'system.storages',
      values: {
        storage_id: 'archive',
        storage_name: 'Archive',
        description: null,
        storage_type: 'filesystem',
        base_directory: storageDir,
        shared_tables_template: '{namespace}/{tableName}',
        user_tables_template: '{namespace}/{tableName}/{userId}',
      },
    });
    // Held by a live process (the test runner's parent stands in for another app).
    const locked = makeDataDir('locked');
    writeFileSync(appLockPath(locked), `${process.ppid}\n`);
    const listing = () => readdirSync(base).sort();
    const before = listing();

    const cases: [string, 'open' | 'create', string, string | RegExp][] = [
      ['relative', 'open', 'relative/dir', 'VALIDATION'],
      ['missing', 'open', join(base, 'missing'), /does not exist/],
      ['a file', 'open', join(base, 'a-file'), /is a file, not a folder/],
      ['not a data directory', 'open', join(base, 'not-data'), /not a Kalam Studio data directory/],
      ['the open one', 'open', first.dataDir, /already open/],
      ['the open one, spelled differently', 'open', `${first.dataDir}/../first/`, /already open/],
      ['inside the open one', 'create', join(first.dataDir, 'nested'), /inside the open data directory/],
      ['inside a storage folder', 'create', join(storageDir, 'nested'), /inside a storage folder/],
      ['not empty', 'create', join(base, 'full'), /is not empty/],
      ['a missing parent', 'create', join(base, 'no', 'such', 'dir'), /does not exist/],
      ['held by another app', 'open', locked, /already running/],
    ];
    for (const [what, kind, path, expected] of cases) {
      const call = kind === 'open' ? c.dataDirs.open({ path }) : c.dataDirs.create({ path, demo: true });
      const error = await call.then(
        () => null,
        (e: unknown) => e as { code: string; message: string; data?: { issues: { field: string }[] } },
      );
      expect(error, what).not.toBeNull();
      if (typeof expected === 'string') expect(error!.code, what).toBe(expected);
      else {
        expect(error!.message, what).toMatch(expected);
        expect(error!.code, what).toBe(what === 'held by another app' ? 'IN_USE' : 'VALIDATION');
        if (error!.code === 'VALIDATION')
          expect(
            error!.data?.issues.map((i) => i.field),
            what,
          ).toEqual(['path']);
      }
    }
    expect(session.current()).toBe(first);
    expect(first.engine.backend.open).toBe(true);
    expect(readFileSync(appLockPath(first.dataDir), 'utf8').trim()).toBe(String(process.pid));
    expect(readFileSync(appLockPath(locked), 'utf8').trim()).toBe(String(process.ppid));
    expect(listing()).toEqual(before);
    expect(switchEntries(first.engine)).toEqual([]);
    expect(existsSync(join(base, 'settings'))).toBe(false);
    expect((await c.dataDirs.list()).recent).toEqual([]);
  });

  it('refuses a plain user (view as bob), before any check', async () => {
    const session = start();
    await expect(client(session).dataDirs.open({ path: makeDataDir('other'), as: { userId: 'u_bob' } })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    await expect(client(session).dataDirs.list({ as: { userId: 'u_bob' } })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(session.current().dataDir).toBe(join(base, 'first'));
  });
});

describe('a new empty data directory', () => {
  it('is initialised with the demo data on request, and without it otherwise', async () => {
    const session = start();
    const withDemo = join(base, 'with-demo');
    const report = await client(session).dataDirs.create({ path: withDemo, demo: true });
    expect(report).toMatchObject({ path: withDemo, name: 'with-demo', created: true });
    expect((await client(session).tables.list()).map((t) => t.table)).toContain('demo.products');

    // An existing empty folder is fine too.
    const bare = join(base, 'bare');
    mkdirSync(bare);
    await client(session).dataDirs.create({ path: bare, demo: false });
    expect((await client(session).tables.list()).map((t) => t.table).filter((n) => !n.startsWith('system.'))).toEqual([]);
    expect(existsSync(join(bare, 'kalam.sqlite'))).toBe(true);
  });

  it('is refused in read-only mode, and --read-only carries over locked to the next directory', async () => {
    const session = start(join(base, 'first'), { readOnly: true });
    const c = client(session);
    await expect(c.dataDirs.create({ path: join(base, 'new'), demo: true })).rejects.toMatchObject({ code: 'READ_ONLY' });
    expect(existsSync(join(base, 'new'))).toBe(false);
    await c.dataDirs.open({ path: makeDataDir('other') });
    const info = await client(session).engine.info();
    expect(info).toMatchObject({ dataDir: join(base, 'other'), readOnly: true, readOnlyLocked: true });
  });

  it('keeps the session read-only switch on across a switch', async () => {
    const session = start();
    await client(session).engine.setReadOnly({ readOnly: true });
    await client(session).dataDirs.open({ path: makeDataDir('other') });
    expect(await client(session).engine.info()).toMatchObject({ readOnly: true, readOnlyLocked: false });
  });
});

describe('recent directories', () => {
  it('lists the directories switched between, newest first, deduplicated and bounded, in the settings folder', async () => {
    const session = start();
    const dirs = Array.from({ length: RECENT_LIMIT + 2 }, (_, i) => makeDataDir(`d${i}`));
    await client(session).dataDirs.open({ path: dirs[0]! });
    await client(session).dataDirs.open({ path: join(base, 'first') });
    await client(session).dataDirs.open({ path: dirs[0]! });
    let list = await client(session).dataDirs.list();
    expect(list.current).toMatchObject({ path: dirs[0], name: 'd0', current: true, available: true });
    expect(list.recent.map((r) => r.path)).toEqual([dirs[0], join(base, 'first')]);
    expect(list.canSwitch).toBe(true);

    for (const dir of dirs.slice(1)) await client(session).dataDirs.open({ path: dir });
    list = await client(session).dataDirs.list();
    expect(list.recent).toHaveLength(RECENT_LIMIT);
    expect(list.recent.map((r) => r.name)).toEqual(
      dirs
        .slice(-RECENT_LIMIT)
        .reverse()
        .map((d) => d.split('/').at(-1)),
    );
    expect(new Set(list.recent.map((r) => r.path)).size).toBe(RECENT_LIMIT);

    // Kept outside every data directory; a directory that went away is listed as unavailable.
    const file = join(base, 'settings', 'recent-data-directories.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1 });
    rmSync(dirs.at(-2)!, { recursive: true });
    expect((await client(session).dataDirs.list()).recent.find((r) => r.path === dirs.at(-2))?.available).toBe(false);
  });

  it('starts over from a broken settings file', async () => {
    mkdirSync(join(base, 'settings'));
    writeFileSync(join(base, 'settings', 'recent-data-directories.json'), '{ not json');
    const session = start();
    expect((await client(session).dataDirs.list()).recent).toEqual([]);
    await client(session).dataDirs.open({ path: makeDataDir('other') });
    expect((await client(session).dataDirs.list()).recent.map((r) => r.name)).toEqual(['other', 'first']);
  });
});

describe('the audit log of a switch', () => {
  const entry = (actor: [string | null, string], action: string, before: unknown, after: unknown) => ({
    actor_user_id: actor[0],
    actor_role: actor[1],
    action,
    target: 'engine/data_dir',
    before,
    after,
  });

  it('names who switched: in the directory left (to where, and how its jobs ended) and in the one opened (from where)', async () => {
    const session = start();
    const c = client(session);
    const first = session.current().dataDir;
    const running = (await c.jobs.start({ type: 'flush', table: 'demo.products' })).jobs[0]!;
    await expect.poll(async () => (await c.jobs.get({ id: running.job_id })).status).toBe('running');
    const other = makeDataDir('other');

    // alice, a dba of the first directory, switches (view as alice).
    await c.dataDirs.open({ path: other, runningJobs: 'cancel', as: { userId: 'u_alice' } });

    const alice: [string, string] = ['u_alice', 'dba'];
    expect(switchEntries(session.current().engine)).toMatchObject([entry(alice, 'dataDirs.open', { data_dir: first }, { data_dir: other })]);
    expect(switchEntriesOf(first)).toMatchObject([
      entry(alice, 'dataDirs.close', { data_dir: first }, { data_dir: other, jobs: [{ job_id: running.job_id, job_type: 'flush', status: 'cancelled' }] }),
    ]);
    // The opened directory's log is browsed like any other: its entry is a row of system.audit_log.
    const page = await client(session).rows.page({ table: 'system.audit_log', request: { limit: 50 } });
    expect(page.rows.map((r) => r.values['action'])).toContain('dataDirs.open');
  });

  it('a new directory’s entry says it was created, with the demo or not, by the operator; switching back is recorded again', async () => {
    const session = start();
    const first = session.current().dataDir;
    const fresh = join(base, 'fresh');
    await client(session).dataDirs.create({ path: fresh, demo: false });
    expect(switchEntries(session.current().engine)).toMatchObject([
      entry([ROOT_USER_ID, 'system'], 'dataDirs.create', { data_dir: first }, { data_dir: fresh, demo: false }),
    ]);

    await client(session).dataDirs.open({ path: first });
    expect(switchEntries(session.current().engine).map((e) => [e.action, e.after])).toEqual([
      ['dataDirs.close', { data_dir: fresh, jobs: [] }],
      ['dataDirs.open', { data_dir: first }],
    ]);
    expect(switchEntriesOf(fresh).map((e) => e.action)).toEqual(['dataDirs.create', 'dataDirs.close']);
  });

  it('an entry that cannot be written is logged in that directory’s log; the switch stands', async () => {
    const warnings: string[] = [];
    const session = start(join(base, 'first'), {
      logger: { ...silentLogger, warn: (message, fields) => warnings.push(`${message} ${String(fields?.['action'])}`) },
    });
    const first = session.current();
    vi.spyOn(first.engine.system.auditLog, 'append').mockImplementation(() => {
      throw new Error('disk full');
    });
    const other = makeDataDir('other');
    await client(session).dataDirs.open({ path: other });
    expect(session.current().dataDir).toBe(other);
    expect(warnings).toEqual(['the audit entry of a data directory switch could not be written dataDirs.close']);
    expect(switchEntries(session.current().engine).map((e) => e.action)).toEqual(['dataDirs.open']);
    expect(switchEntriesOf(first.dataDir)).toEqual([]);
  });
});
