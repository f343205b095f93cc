import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { FlushPolicy, TableMetadata } from '../../../shared/system/tables';
import type { Engine } from '../engine';
import { EngineError } from '../errors';
import type { JobManager } from './job-manager';
import type { Logger } from '../../../shared/logger';

export interface FlushSchedulerOptions {
  readonly engine: Engine;
  readonly manager: JobManager;
  /** How often policies are checked (default 5 s). */
  readonly checkEveryMs?: number | undefined;
  /** The pause after a table's first failed flush; each further failure doubles it (default 30 s), up to backoffMaxMs (default 1 h). */
  readonly backoffBaseMs?: number | undefined;
  readonly backoffMaxMs?: number | undefined;
  /** Default: the manager's logger. */
  readonly logger?: Logger | undefined;
}

/** A table whose automatic flush is paused after failed flushes. */
export interface FlushBackoff {
  readonly table: string;
  /** Failed flushes in a row. */
  readonly failures: number;
  /** When the scheduler may queue its flush again (ms since the epoch). */
  readonly next_try_at: number;
  readonly last_error: string | null;
}

/** Why a table is due, or undefined. `hotRows` counts stored hot entries (tombstones too: they are flushed as well). */
export function flushDue(policy: FlushPolicy, hotRows: number, sinceLastFlushMs: number): string | undefined {
  if (hotRows === 0) return undefined;
  if (policy.row_limit !== undefined && hotRows >= policy.row_limit) return `${hotRows} hot rows reached the row limit ${policy.row_limit}`;
  if (policy.interval_seconds !== undefined && sinceLastFlushMs >= policy.interval_seconds * 1000) return `${policy.interval_seconds} s since the last flush`;
  return undefined;
}

/**
 * Queues flushes by each table's flush policy (row limit and/or interval). The interval counts from
 * the table's last completed flush in this process, or from the scheduler's start. A table whose
 * flush is already queued or running is left alone (its idempotency key would refuse it anyway). A
 * table whose flushes fail is paused, longer after each failure in a row (exponential, capped), and
 * says so (backoffs()); a completed flush ends the pause. In read-only mode nothing is queued.
 */
export class FlushScheduler {
  private readonly lastFlush = new Map<string, number>();
  private readonly failing = new Map<string, FlushBackoff>();
  private readonly startedAt: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: FlushSchedulerOptions) {
    this.startedAt = options.engine.now();
    this.backoffBaseMs = options.backoffBaseMs ?? 30_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 3_600_000;
    this.unsubscribe = options.manager.subscribe((e) => {
      if (e.type !== 'job' || e.job.job_type !== 'flush' || typeof e.job.parameters['table'] !== 'string') return;
      const table = e.job.parameters['table'];
      const at = e.job.finished_at ?? options.engine.now();
      if (e.job.status === 'completed') {
        this.lastFlush.set(table, at);
        this.failing.delete(table);
      } else if (e.job.status === 'failed' && e.job.error !== 'interrupted') {
        // An interrupted flush says nothing about the table (its process died); a failed one does.
        const failures = (this.failing.get(table)?.failures ?? 0) + 1;
        const pause = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (failures - 1));
        this.failing.set(table, { table, failures, next_try_at: at + pause, last_error: e.job.error });
      }
    });
  }

  start(): void {
    if (this.timer || !this.options.manager.kind('flush')) return;
    this.timer = setInterval(() => {
      try {
        this.check();
      } catch (error) {
        (this.options.logger ?? this.options.manager.logger).error('flush scheduler check failed', { error });
      }
    }, this.options.checkEveryMs ?? 5000);
    this.timer.unref();
  }

  /** Queues a flush of every due table; returns the tables queued. */
  check(now: number = this.options.engine.now()): string[] {
    const { engine, manager } = this.options;
    // A flush deletes hot rows: nothing is queued while read-only is on.
    if (!manager.kind('flush') || engine.readOnly.enabled) return [];
    const queued: string[] = [];
    for (const meta of engine.data.list()) {
      if (!meta.flush_policy || (meta.table_type !== 'shared' && meta.table_type !== 'user')) continue;
      const table = TableIdKey.display(tableId(meta.namespace_id, meta.table_name));
      const paused = this.failing.get(table);
      if (paused && paused.next_try_at > now) continue;
      const reason = flushDue(meta.flush_policy, this.hotRows(meta), now - (this.lastFlush.get(table) ?? this.startedAt));
      if (reason === undefined) continue;
      try {
        const again = paused ? `; try ${paused.failures + 1} after ${paused.failures} failed` : '';
        manager.startJob('flush', { table }, { message: `by policy: ${reason}${again}` });
        queued.push(table);
      } catch (e) {
        if (!(e instanceof EngineError && (e.code === 'CONFLICT' || e.code === 'READ_ONLY'))) throw e;
      }
    }
    return queued;
  }

  /** Tables with a flush policy whose automatic flush is paused after failures, by name. */
  backoffs(): FlushBackoff[] {
    const tables = new Map([...this.options.engine.data.list()].map((m) => [TableIdKey.display(tableId(m.namespace_id, m.table_name)), m]));
    // A table dropped meanwhile is forgotten.
    for (const table of this.failing.keys()) if (!tables.has(table)) this.failing.delete(table);
    // A table without a policy has no automatic flush to pause (its failures still count if it gets one).
    return [...this.failing.values()].filter((b) => tables.get(b.table)?.flush_policy).sort((a, b) => a.table.localeCompare(b.table));
  }

  private hotRows(meta: TableMetadata): number {
    const store = this.options.engine.data.open(tableId(meta.namespace_id, meta.table_name));
    const cap = meta.flush_policy?.row_limit ?? 1;
    return store.countHot({ cap: Math.max(cap, 1) });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe();
  }
}
