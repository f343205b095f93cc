import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../../shared/sql/sql-results';
import type { ServiceDeps } from './deps';
import { impl } from './implementer';
import { liveResult } from './sql-live';
import type { SqlCalls, SqlExecutor } from './sql-executor';
import type { ServiceContext } from './implementer';

/** Runs in flight, by run id: what sql.cancel stops. */
class ActiveRuns {
  private readonly runs = new Map<string, { cancelled: boolean }>();

  start(runId: string | undefined): { cancelled: boolean; end(): void } {
    const run = { cancelled: false, end: () => undefined as void };
    if (runId === undefined) return run;
    const entry = { cancelled: false };
    this.runs.set(runId, entry);
    return {
      get cancelled() {
        return entry.cancelled;
      },
      end: () => {
        if (this.runs.get(runId) === entry) this.runs.delete(runId);
      },
    };
  }

  cancel(runId: string): boolean {
    const run = this.runs.get(runId);
    if (!run) return false;
    run.cancelled = true;
    return true;
  }
}

/**
 * The SQL console's procedures. A run's statements act as the call's subject (`as`), or as
 * EXECUTE AS USER's; KalamDB's own statements go through the procedures of the dialogs and the job
 * buttons (`calls`, an in-process client of the router made for the calling connection).
 */
export function sqlService(executor: SqlExecutor, callsFor: (context: ServiceContext) => SqlCalls, deps: ServiceDeps) {
  const runs = new ActiveRuns();
  return {
    run: impl.sql.run.handler(async ({ input, context }) => {
      const run = runs.start(input.runId);
      try {
        return await executor.run({
          script: input.script,
          acting: context.acting,
          as: input.as,
          pageSize: input.pageSize,
          timeoutMs: input.timeoutMs,
          calls: callsFor(context),
          cancelled: () => run.cancelled,
          runId: input.runId,
        });
      } finally {
        run.end();
      }
    }),
    page: impl.sql.page.handler(({ input, context }) =>
      executor.results.page(input.cursor, context.acting.subject, input.pageSize, DEFAULT_STATEMENT_TIMEOUT_MS),
    ),
    close: impl.sql.close.handler(({ input }) => ({ closed: executor.results.close(input.resultId) })),
    subscribe: impl.sql.subscribe.handler(({ input, context, signal }) => {
      const live = executor.live(input.script, context.acting);
      return liveResult(deps, executor, live, { connectionId: context.connectionId, limit: input.limit, signal });
    }),
    cancel: impl.sql.cancel.handler(({ input }) => {
      const active = runs.cancel(input.runId);
      // Also the query it is running in the query worker, which stops at its next check.
      executor.cancel(input.runId);
      return { cancelled: active };
    }),
  };
}
