import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { DataDirEntry, DataDirs, DataDirSwitch, RunningJobs } from '../../shared/contract/data-dirs-contract';
import { dataDirName } from '../../shared/data-dir-name';
import type { Logger } from '../../shared/logger';
import type { Job } from '../../shared/system/jobs';
import { dataDirLayout } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { PRIVATE_DIR_MODE } from '../engine/private-files';
import type { DataDirSwitcher } from '../services/app-services';
import type { AuditRecord } from '../services/audit';
import type { Subject } from '../engine/access/subject';
import { AppAlreadyRunningError, bootstrap, type AppRuntime, type BootstrapOptions } from './bootstrap';
import { checkDataDirChoice, openDirectoryOf } from './data-dir-choice';
import { RecentDirectories } from './recent-dirs';

export interface AppSessionOptions extends Omit<BootstrapOptions, 'dataDirs' | 'logger'> {
  /** Where the app's own settings live (paths.ts appSettingsDir): the recent directories. */
  readonly settingsDir: string;
  /** The first directory's logger (the Electron shell's); later directories log into their own logs/main.log. */
  readonly logger?: Logger;
  readonly now?: () => number;
}

/** The audit log's target of a switch (as `engine/read_only` is the read-only switch's). */
const DATA_DIR_TARGET = 'engine/data_dir';

/**
 * Records a switch in a directory's audit log through its services' one writer. The switch has
 * happened by then (jobs ended, a directory closed): an entry that cannot be written (a full disk)
 * is logged in that directory's main.log rather than undoing it.
 */
function audited(runtime: AppRuntime, actor: Subject, record: AuditRecord): void {
  try {
    runtime.services.audit(actor, record);
  } catch (e) {
    runtime.logger.warn('the audit entry of a data directory switch could not be written', { action: record.action, error: String(e) });
  }
}

/** "FL-… (flush, running)", for the message that asks what to do with them. */
function describeJobs(jobs: readonly Job[]): string {
  return jobs.map((j) => `${j.job_id} (${j.job_type.replace('_', ' ')}, ${j.status})`).join(', ');
}

/**
 * The app's one open data directory, and switching it without a restart. Every switch is checked
 * before anything changes (checkDataDirChoice); the new directory is opened (its lock taken) first,
 * so a failure leaves the old one open and untouched; then the old one's jobs end as the user chose,
 * its services and engine close and its lock is released. The transports ask `current()` for every
 * new connection and hear `onSwitch` to drop the old ones.
 */
export class AppSession implements DataDirSwitcher {
  private runtime: AppRuntime;
  private switching = false;
  private closed = false;
  private readonly recent: RecentDirectories;
  private readonly listeners = new Set<(runtime: AppRuntime) => void>();
  private readonly now: () => number;
  /** Logs into the open directory's log, whichever that is at the time (for the transports). */
  readonly logger: Logger = {
    debug: (message, fields) => this.runtime.logger.debug(message, fields),
    info: (message, fields) => this.runtime.logger.info(message, fields),
    warn: (message, fields) => this.runtime.logger.warn(message, fields),
    error: (message, fields) => this.runtime.logger.error(message, fields),
    // Each directory's log is closed with its runtime.
    close: () => {},
  };

  private constructor(
    private readonly options: AppSessionOptions,
    first: AppRuntime,
  ) {
    this.runtime = first;
    this.now = options.now ?? Date.now;
    this.recent = new RecentDirectories(options.settingsDir, this.logger);
  }

  /** Opens the first directory (as bootstrap does, with its errors). */
  static start(options: AppSessionOptions): AppSession {
    const holder: { session?: AppSession } = {};
    const switcher: DataDirSwitcher = {
      list: () => holder.session!.list(),
      open: (input, actor) => holder.session!.open(input, actor),
      create: (input, actor) => holder.session!.create(input, actor),
    };
    const { settingsDir: _settings, now: _now, ...boot } = options;
    const first = bootstrap({ ...boot, dataDirs: switcher });
    holder.session = new AppSession(options, first);
    return holder.session;
  }

  current(): AppRuntime {
    return this.runtime;
  }

  /** Calls `listener` with the new runtime after every switch; returns the unsubscribe. */
  onSwitch(listener: (runtime: AppRuntime) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): DataDirs {
    const current = this.runtime.dataDir;
    const entry = (path: string, openedAt: number | null): DataDirEntry => ({
      path,
      name: dataDirName(path),
      openedAt,
      current: path === current,
      available: path === current || existsSync(dataDirLayout(path).databasePath),
    });
    const recent = this.recent.list();
    return {
      current: entry(current, recent.find((r) => r.path === current)?.openedAt ?? null),
      recent: recent.map((r) => entry(r.path, r.openedAt)),
      canSwitch: true,
    };
  }

  open(input: { path: string; runningJobs?: RunningJobs | undefined }, actor: Subject): Promise<DataDirSwitch> {
    return this.switchTo('open', input.path, false, input.runningJobs, actor);
  }

  create(input: { path: string; demo: boolean; runningJobs?: RunningJobs | undefined }, actor: Subject): Promise<DataDirSwitch> {
    return this.switchTo('create', input.path, input.demo, input.runningJobs, actor);
  }

  private async switchTo(kind: 'open' | 'create', path: string, demo: boolean, runningJobs: RunningJobs | undefined, actor: Subject): Promise<DataDirSwitch> {
    if (this.closed) throw new EngineError('CONFLICT', 'the app is shutting down');
    if (this.switching) throw new EngineError('CONFLICT', 'another data directory is being opened; wait for it');
    this.switching = true;
    const started = performance.now();
    try {
      const old = this.runtime;
      const target = checkDataDirChoice(kind, path, openDirectoryOf(old.engine, old.dataDir));
      const active = old.services.activeJobs();
      if (active.length > 0 && runningJobs === undefined) {
        throw new EngineError(
          'IN_USE',
          `${active.length === 1 ? '1 job is' : `${active.length} jobs are`} still active in ${old.dataDir}: ${describeJobs(active)}. Wait for them or cancel them to switch.`,
        );
      }
      const next = this.openNext(kind, target, demo, old);
      const ended = await old.services.settleJobs(runningJobs ?? 'cancel');
      // Each directory's own log says who switched, from where and to where: the one left (with how
      // its jobs ended) while it is still open, the one opened once it is the app's.
      audited(old, actor, {
        action: 'dataDirs.close',
        target: DATA_DIR_TARGET,
        before: { data_dir: old.dataDir },
        after: { data_dir: target, jobs: ended.map((j) => ({ job_id: j.job_id, job_type: j.job_type, status: j.status })) },
      });
      old.close();
      this.runtime = next;
      audited(next, actor, {
        action: `dataDirs.${kind}`,
        target: DATA_DIR_TARGET,
        before: { data_dir: old.dataDir },
        after: { data_dir: target, ...(kind === 'create' ? { demo } : {}) },
      });
      const at = this.now();
      this.recent.add(old.dataDir, at);
      this.recent.add(target, at);
      next.logger.info('data directory switched', { from: old.dataDir, to: target, created: kind === 'create', ms: Math.round(performance.now() - started) });
      for (const listener of [...this.listeners]) listener(next);
      return {
        path: target,
        name: dataDirName(target),
        created: kind === 'create',
        closed: old.dataDir,
        jobs: ended.map((j) => ({ id: j.job_id, type: j.job_type, status: j.status, message: j.message ?? null })),
      };
    } finally {
      this.switching = false;
    }
  }

  /** Opens the chosen directory beside the old one; on failure nothing is left behind (a folder made here is removed). */
  private openNext(kind: 'open' | 'create', target: string, demo: boolean, old: AppRuntime): AppRuntime {
    let made = false;
    if (kind === 'create') {
      try {
        mkdirSync(target, { mode: PRIVATE_DIR_MODE });
        made = true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const { settingsDir: _settings, now: _now, logger: _logger, ...boot } = this.options;
    try {
      return bootstrap({
        ...boot,
        dataDir: target,
        demo: kind === 'create' && demo,
        readOnlyOn: old.engine.readOnly.enabled,
        dataDirs: this,
      });
    } catch (e) {
      if (made) rmSync(target, { recursive: true, force: true });
      if (e instanceof AppAlreadyRunningError) throw new EngineError('IN_USE', e.message);
      throw e;
    }
  }

  /** Closes the open directory (its jobs are cancelled, see AppRuntime.close). */
  close(): void {
    this.closed = true;
    this.runtime.close();
  }
}
