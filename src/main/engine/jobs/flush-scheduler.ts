import { tableId, TableIdKey } from '../../../shared/keys/table-id';
import type { FlushPolicy, TableMetadata } from '../../../shared/system/tables';
import type { Engine } from '../engine';
import { EngineError } from '../errors';
import type { JobManager } from './job-manager';

export interface FlushSchedulerOptions {
  readonly engine: Engine;
  readonly manager: JobManager;
  /** How often policies are checked (default 5 s). */
  readonly checkEveryMs?: number | undefined;
  readonly onError?: (message: string, fields: Record<string, unknown>) => void;
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
 * flush is already queued or running is left alone (its idempotency key would refuse it anyway).
 */
export class FlushScheduler {
  private readonly lastFlush = new Map<string, number>();
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: FlushSchedulerOptions) {
    this.startedAt = options.engine.now();
    this.unsubscribe = options.manager.subscribe((e) => {
      if (e.type === 'job' && e.job.job_type === 'flush' && e.job.status === 'completed' && typeof e.job.parameters['table'] === 'string') {
        this.lastFlush.set(e.job.parameters['table'], e.job.finished_at ?? options.engine.now());
      }
    });
  }

  start(): void {
    if (this.timer || !this.options.manager.kind('flush')) return;
    this.timer = setInterval(() => {
      try {
        this.check();
      } catch (error) {
        this.options.onError?.('flush scheduler check failed', { error });
      }
    }, this.options.checkEveryMs ?? 5000);
    this.timer.unref();
  }

  /** Queues a flush of every due table; returns the tables queued. */
  check(now: number = this.options.engine.now()): string[] {
    const { engine, manager } = this.options;
    if (!manager.kind('flush')) return [];
    const queued: string[] = [];
    for (const meta of engine.data.list()) {
      if (!meta.flush_policy || (meta.table_type !== 'shared' && meta.table_type !== 'user')) continue;
      const table = TableIdKey.display(tableId(meta.namespace_id, meta.table_name));
      const reason = flushDue(meta.flush_policy, this.hotRows(meta), now - (this.lastFlush.get(table) ?? this.startedAt));
      if (reason === undefined) continue;
      try {
        manager.startJob('flush', { table }, { message: `by policy: ${reason}` });
        queued.push(table);
      } catch (e) {
        if (!(e instanceof EngineError && e.code === 'CONFLICT')) throw e;
      }
    }
    return queued;
  }

  private hotRows(meta: TableMetadata): number {
    const store = this.options.engine.data.open(tableId(meta.namespace_id, meta.table_name));
    const cap = meta.flush_policy?.row_limit ?? 1;
    return store.count({ cap: Math.max(cap, 1) });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe();
  }
}
