import { existsSync, mkdirSync, rmSync } from 'node:fs';
import type { DataDirEntry, DataDirs, DataDirSwitch, RunningJobs } from '../../shared/contract/data-dirs-contract';
import { dataDirName } from '../../shared/data-dir-name';
import type { Logger } from '../../shared/logger';
import type { Job } from '../../shared/system/jobs';
import { dataDirLayout } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { PRIVATE_DIR_MODE } from '../engine/private-files';
import type { DataDirSwitcher } from '../services/app-services';
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
      open: (input) => holder.session!.open(input),
      create: (input) => holder.session!.create(input),
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

  open(input: { path: string; runningJobs?: RunningJobs | undefined }): Promise<DataDirSwitch> {
    return this.switchTo('open', input.path, false, input.runningJobs);
  }

  create(input: { path: string; demo: boolean; runningJobs?: RunningJobs | undefined }): Promise<DataDirSwitch> {
    return this.switchTo('create', input.path, input.demo, input.runningJobs);
  }

  private async switchTo(kind: 'open' | 'create', path: string, demo: boolean, runningJobs: RunningJobs | undefined): Promise<DataDirSwitch> {
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
      old.close();
      this.runtime = next;
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
