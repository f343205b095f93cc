import type { JobId, JobType } from '../../shared/keys/job-id';
import { TableIdKey } from '../../shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import type { BackupResult } from '../engine/backup/backup-job';
import type { RestoreResult } from '../engine/backup/restore-job';
import type { CompactResult } from '../engine/compact/compact-job';
import type { Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { verifyIndex } from '../engine/index/index-maintenance';
import { JobCancelledError } from '../engine/jobs/job-context';
import { appLockPath, lockHolder } from '../engine/process-lock';
import type { EntityStore } from '../engine/store/entity-store';
import type { CliCommand } from './cli-args';
import { CliError, type CliJobs, type ProgressSink } from './cli-jobs';
import { seedTable } from './seed';
import type { Role } from '../../shared/access';
import { FilterTextError, parseFilterText } from '../../shared/filter-text';
import type { ExportParams, ExportResult, ImportParams, ImportResult } from '../../shared/jobs/io-params';
import type { UserId } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import { openSource } from '../engine/io/import-source';
import { checkExportQuery, exportQuery } from '../engine/io/query-rows';
import { SqlQueries } from '../engine/sql/sql-queries';
import { SqlStatementError } from '../engine/sql/sql-statement-error';
import { positionOf } from '../../shared/sql/sql-lexer';
import { reportPath } from '../services/io-service';
import { ScheduleIdSchema } from '../../shared/keys/schedule-id';
import { MaintenanceScheduler } from '../engine/schedules/maintenance-scheduler';
import type { JobManager } from '../engine/jobs/job-manager';

const ENDED = new Set(['completed', 'failed', 'cancelled', 'skipped']);

/** Waits until every job ended (Ctrl+C cancels them); the scheduler's own listener ran first (its retention). */
function untilEnded(engine: Engine, manager: JobManager, ids: readonly JobId[], signal: AbortSignal): Promise<void> {
  const open = new Set(ids.filter((id) => !ENDED.has(engine.system.jobs.get(id)?.status ?? 'completed')));
  if (open.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      for (const id of open) manager.cancel(id);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const off = manager.subscribe((e) => {
      if (e.type !== 'job' || !open.has(e.job.job_id) || !ENDED.has(e.job.status)) return;
      open.delete(e.job.job_id);
      if (open.size > 0) return;
      off();
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

export interface CommandContext {
  readonly engine: Engine;
  /** The job manager of this CLI process (recovery already ran). */
  readonly jobs: CliJobs;
  readonly dataDir: string;
  readonly signal: AbortSignal;
  readonly progress: (label: string) => ProgressSink;
  /** A note for the person at the terminal (why a job waits); not part of the output. */
  readonly note: (text: string) => void;
  /** Lines printed before the summary (listings). */
  readonly print: (line: string) => void;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs a command; returns the one-line summary. Errors propagate (main prints their message). */
export async function runCommand(command: CliCommand, c: CommandContext): Promise<string> {
  const started = performance.now();
  const took = () => seconds(performance.now() - started);
  const job = (type: JobType, params: unknown, label: string) =>
    c.jobs.run(type, params, { signal: c.signal, onProgress: c.progress(label), onWaiting: (message) => c.note(`${label}: ${message}`) });

  switch (command.name) {
    case 'flush': {
      const { job: j, result } = await job('flush', { table: command.table }, `flush ${command.table}`);
      return `flushed ${command.table}: ${describeResult(result)} in ${took()} (job ${j.job_id})`;
    }
    case 'flush-all': {
      const tables = [...c.engine.data.list()]
        .filter((m) => m.table_type === 'shared' || m.table_type === 'user')
        .map((m) => `${m.namespace_id}.${m.table_name}`);
      // One table failing (or already being flushed elsewhere) does not stop the others; each is reported.
      const failed: string[] = [];
      const skipped: string[] = [];
      for (const table of tables) {
        try {
          await job('flush', { table }, `flush ${table}`);
        } catch (e) {
          if (e instanceof JobCancelledError) throw e;
          const message = e instanceof Error ? e.message : String(e);
          if (e instanceof EngineError && e.code === 'CONFLICT') skipped.push(`${table} (${message})`);
          else failed.push(`${table} (${message})`);
        }
      }
      const flushed = tables.length - failed.length - skipped.length;
      const summary = `flushed ${flushed}${flushed === tables.length ? '' : ` of ${tables.length}`} table${tables.length === 1 ? '' : 's'} in ${took()}`;
      const skips = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
      if (failed.length > 0) throw new CliError(`${summary}${skips}; failed: ${failed.join(', ')}`);
      return `${summary}${skips}`;
    }
    case 'compact': {
      const { job: j, result } = await job('compact', { table: command.table }, `compact ${command.table}`);
      const r = result as CompactResult;
      if (r.scopes === 0) return `nothing to compact in ${command.table}: no scope has two segments or more (job ${j.job_id})`;
      const n = (x: number) => x.toLocaleString('en-US');
      return `compacted ${command.table}: ${n(r.segmentsBefore)} segments into ${n(r.scopes)}, ${n(r.rows)} rows (${n(r.tombstones)} tombstones), ${mib(r.bytesBefore)} → ${mib(r.bytes)} in ${took()} (job ${j.job_id})`;
    }
    case 'backup': {
      const { job: j, result } = await job('backup', { folder: command.folder }, 'backup');
      const r = result as BackupResult;
      const secs = (performance.now() - started) / 1000;
      return `backed up ${r.files} file${r.files === 1 ? '' : 's'} (${mib(r.bytes)}) into ${r.folder} in ${took()}, ${(r.bytes / 1024 / 1024 / secs).toFixed(1)} MiB/s (job ${j.job_id})`;
    }
    case 'restore': {
      // The app caches what the database holds; a restore behind its back would leave it stale.
      const app = lockHolder(appLockPath(c.dataDir));
      if (app !== undefined) {
        throw new CliError(`the app (pid ${app}) is running on ${c.dataDir}; restore from its Jobs page, or quit it and run this again`);
      }
      const { job: j, result } = await job('restore', { folder: command.folder, allow_foreign: command.allowForeign }, 'restore');
      const r = result as RestoreResult;
      const rows = r.summary.tables.filter((t) => t.type !== 'system').reduce((a, t) => a + t.hot_rows + t.cold_rows, 0);
      return `restored the backup of ${new Date(r.summary.createdAt).toISOString()} (${r.summary.tables.length} tables, ${rows.toLocaleString('en-US')} data rows, ${mib(r.summary.bytes)}) in ${took()} (job ${j.job_id})`;
    }
    case 'jobs': {
      const jobs = c.engine.system.jobs.list({ status: command.status, limit: command.limit }).items;
      for (const j of jobs) {
        const p = j.progress ? ` ${j.progress.phase} ${j.progress.done}${j.progress.total ? `/${j.progress.total}` : ''}` : '';
        c.print(
          [
            j.job_id,
            j.status.padEnd(9),
            new Date(j.created_at).toISOString(),
            JSON.stringify(j.parameters),
            `${p}${j.error ? ` error: ${j.error}` : j.message ? ` ${j.message}` : ''}`.trim(),
          ].join('  '),
        );
      }
      return `${jobs.length} job${jobs.length === 1 ? '' : 's'}${command.status ? ` ${command.status}` : ''}`;
    }
    case 'schedules-list': {
      const planner = new MaintenanceScheduler({ engine: c.engine, manager: c.jobs.manager });
      const planned = planner.planned();
      planner.stop();
      const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString());
      for (const { schedule: s, next_run_at } of planned) {
        const timing = s.cron !== null ? `cron "${s.cron}"${s.timezone ? ` ${s.timezone}` : ''}` : `every ${s.interval_seconds} s`;
        c.print(
          [
            s.schedule_id,
            s.kind.padEnd(7),
            s.enabled ? 'enabled ' : 'disabled',
            timing,
            `next ${when(next_run_at)}`,
            `last ${when(s.last_run_at)}${s.last_outcome ? ` ${s.last_outcome}` : ''}`,
          ].join('  '),
        );
      }
      return `${planned.length} schedule${planned.length === 1 ? '' : 's'}`;
    }
    case 'schedules-run': {
      const id = ScheduleIdSchema.safeParse(command.id);
      if (!id.success || !c.engine.system.schedules.get(id.data)) throw new CliError(`no schedule "${command.id}" (npm run cli -- schedules list)`);
      const planner = new MaintenanceScheduler({ engine: c.engine, manager: c.jobs.manager });
      try {
        const started = planner.run(id.data);
        await untilEnded(
          c.engine,
          c.jobs.manager,
          started.map((j) => j.job_id),
          c.signal,
        );
      } finally {
        planner.stop();
      }
      const s = c.engine.system.schedules.get(id.data)!;
      return `schedule ${s.schedule_id}: ${s.last_outcome ?? 'ran'} in ${took()}`;
    }
    case 'verify-indexes': {
      let indexes = 0;
      const bad: string[] = [];
      // Data tables have no secondary indexes (yet): the system tables hold every index.
      const stores: EntityStore<unknown, object>[] = c.engine.system.stores();
      for (const store of stores) {
        for (const index of store.indexes.values()) {
          indexes++;
          const r = verifyIndex(store, index);
          const problems = r.missing.length + r.orphaned.length + r.wrong.length;
          if (problems > 0) {
            bad.push(index.partition);
            c.print(
              `${index.partition}: ${r.missing.length} missing, ${r.orphaned.length} orphaned, ${r.wrong.length} wrong entries${r.truncated ? ' (at least)' : ''}`,
            );
          }
        }
      }
      if (bad.length > 0) throw new CliError(`${bad.length} of ${indexes} indexes have problems; rebuild them from the Indexes page`);
      return `${indexes} indexes verified, no problems`;
    }
    case 'seed': {
      const label = `seed ${command.table}`;
      const sink = c.progress(label);
      const r = await seedTable(c.engine, command, { signal: c.signal, report: sink });
      return `${r.created ? 'created' : 'added to'} ${r.table}: ${r.rows.toLocaleString('en-US')} rows${r.users ? ` over ${r.users} users` : ''} in ${took()}`;
    }
    case 'sql':
      // It needs the services, not a job manager of its own: run.ts runs it (cli-sql.ts).
      throw new CliError('sql runs through the services (run.ts)');
    case 'export': {
      const subject = command.as === undefined ? SYSTEM_SUBJECT : subjectOf(c.engine, command.as);
      const from = command.from;
      let what: Pick<ExportParams, 'table' | 'source' | 'filters'>;
      if ('sql' in from) {
        // Refused before the job, as the app refuses it: one read-only query the subject may run.
        checkQuery(c.engine, from.sql, subject);
        what = { source: { kind: 'sql', sql: from.sql } };
      } else {
        let filters;
        try {
          filters = from.where === undefined ? undefined : parseFilterText(from.where);
        } catch (e) {
          if (e instanceof FilterTextError) throw new CliError(`--where: ${e.message}`);
          throw e;
        }
        what = { table: from.table, ...(filters ? { filters } : {}) };
      }
      const params: ExportParams = {
        ...what,
        file: command.file,
        format: command.format,
        subject,
        ...(command.delimiter ? { delimiter: command.delimiter } : {}),
        ...(command.bom ? { bom: true } : {}),
      };
      const label = 'sql' in from ? 'export query' : `export ${from.table}`;
      const { job: j, result } = await job('export', params, label);
      const r = result as ExportResult;
      const secs = (performance.now() - started) / 1000;
      const of = 'sql' in from ? 'the query' : r.table;
      return `exported ${n(r.rows)} rows of ${of} to ${r.file} (${command.format}, ${mib(r.bytes)}) in ${took()}, ${n(Math.round(r.rows / secs))} rows/s (job ${j.job_id})`;
    }
    case 'import': {
      const owner = command.owner === undefined ? undefined : subjectOf(c.engine, command.owner).userId;
      let create: ImportParams['create'];
      if (command.create) {
        // A user table when the rows have owners: a fixed one, or the file's _user column.
        const source = await openSource(command.file, { format: command.format, delimiter: command.delimiter });
        create = { type: owner !== undefined || source.columns.includes('_user') ? 'user' : 'shared', ...(command.key ? { primary_key: command.key } : {}) };
      }
      const params: ImportParams = {
        table: command.table,
        file: command.file,
        subject: SYSTEM_SUBJECT,
        report: reportPath(c.dataDir, command.table, c.engine.now()),
        on_error: command.onError,
        on_conflict: command.onConflict,
        ...(command.format ? { format: command.format } : {}),
        ...(command.delimiter ? { delimiter: command.delimiter } : {}),
        ...(create ? { create } : {}),
        ...(owner !== undefined ? { owner } : {}),
      };
      const { job: j, result } = await job('import', params, `import ${command.table}`);
      const r = result as ImportResult;
      const parts = [
        `read ${n(r.read)}`,
        r.replaced ? `replaced ${n(r.replaced)}` : '',
        r.skipped ? `skipped ${n(r.skipped)} existing` : '',
        `rejected ${n(r.rejected)}`,
      ].filter(Boolean);
      for (const x of r.first_rejected.slice(0, 5)) c.print(`rejected line ${x.line}${x.column ? ` column ${x.column}` : ''}: ${x.reason}`);
      const ignored = r.ignored.length > 0 ? `; columns ignored: ${r.ignored.join(', ')}` : '';
      return `imported ${n(r.inserted)} rows into ${r.created ? 'new table ' : ''}${r.table} (${parts.join(', ')}${ignored}; report ${r.report}) in ${took()} (job ${j.job_id})`;
    }
    case 'count': {
      let id;
      try {
        id = TableIdKey.parse(command.table.toLowerCase());
      } catch (e) {
        throw new CliError(`bad table name "${command.table}": ${(e as Error).message}`);
      }
      const n = c.engine.data.provider(id).count(SYSTEM_SUBJECT);
      return String(n);
    }
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** The subject of a username (its id and role); a CliError for an unknown or deleted user. */
/** An export's query, checked as io.export checks it: a SqlStatementError becomes one line with its position. */
function checkQuery(engine: Engine, sql: string, subject: { userId: UserId | null; role: Role }): void {
  const queries = new SqlQueries(engine);
  try {
    checkExportQuery(engine, queries, exportQuery(engine, sql, subject));
  } catch (e) {
    if (!(e instanceof SqlStatementError)) throw e;
    const { line, column } = positionOf(sql, e.start, e.end);
    throw new CliError(`--sql: ${e.code} at line ${line}, column ${column}: ${e.message}`);
  } finally {
    queries.close();
  }
}

function subjectOf(engine: Engine, username: string): { userId: UserId; role: Role } {
  const parsed = UserNameSchema.safeParse(username.toLowerCase());
  const user = parsed.success ? engine.system.users.byUsername(parsed.data) : undefined;
  if (!user || user.deleted_at !== null) throw new CliError(`no user is named "${username}"`);
  return { userId: user.user_id, role: user.role };
}

function describeResult(result: unknown): string {
  if (typeof result !== 'object' || result === null) return 'done';
  const r = result as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of ['rows', 'files', 'segments', 'bytes']) if (typeof r[key] === 'number') parts.push(`${r[key].toLocaleString('en-US')} ${key}`);
  return parts.length > 0 ? parts.join(', ') : 'done';
}
