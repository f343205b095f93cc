import { useCallback, useState } from 'react';
import type { SqlError, SqlRunResult } from '../../../shared/sql/sql-results';
import { client } from '../api/client';
import { errorMessage } from '../api/errors';
import { refusal } from '../app/gates';
import { useEngineInfo } from '../app/engine';
import { asField, describeViewAs, getViewAs } from '../view-as/view-as-store';
import { type HistoryEntry, newId } from './console-store';
import { checkRun, classifyStatement } from './sql-safety';
import { applyChanges, dropDeleted, liveRowCount, startLive } from './live-result';
import { type ConsoleRun, getRun, setRun, stopLive } from './sql-runs';
import { splitStatements } from './sql-text';

/** A run asked for: the text to send and where it starts in the tab's editor. */
export interface RunRequest {
  readonly tabId: string;
  readonly script: string;
  readonly base: number;
  /** Each statement's time limit (ms); the engine's default when absent. */
  readonly timeoutMs?: number;
}

/** A run waiting for the user to confirm its dangerous statements (Safe Mode). */
export interface PendingConfirmation {
  readonly request: RunRequest;
  readonly confirm: readonly { readonly statement: string; readonly reason: string }[];
}

/** Rows a run returned (first pages) or changed, and whether results have more pages; null without either. */
function rowsOf(result: SqlRunResult | undefined): { rows: number | null; moreRows: boolean } {
  let rows: number | null = null;
  let moreRows = false;
  for (const o of result?.outcomes ?? []) {
    if (o.kind === 'rows') {
      rows = (rows ?? 0) + o.page.rows.length;
      moreRows ||= o.page.next !== undefined;
    } else if (o.kind === 'changed') rows = (rows ?? 0) + o.affected;
  }
  return { rows, moreRows };
}

type LiveRun = Extract<ConsoleRun, { status: 'live' }>;

/** How long a deleted row of a live result fades before it goes (sql.css's animation); none with reduced motion. */
const FADE_MS = 1200;
const fadeMs = () => (globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ? 0 : FADE_MS);

/** SUBSCRIBE TO keeps its result open: it is sent alone, through sql.subscribe. */
const isSubscribe = (statement: string) => classifyStatement(statement).keyword === 'SUBSCRIBE';

/**
 * Runs a SUBSCRIBE TO: the result, then its changes applied as they arrive, until the stream ends
 * (stopLive aborts it; so does replacing or closing the tab's run). An error ends it like a
 * statement's error in a script (shown, and placed in the editor).
 */
async function subscribeRun(
  { tabId, script, base }: RunRequest,
  run: Pick<LiveRun, 'runId' | 'as' | 'subject' | 'startedAt'>,
): Promise<{ error: SqlError | undefined; failure: string | undefined; rows: number | null }> {
  const controller = new AbortController();
  setRun(tabId, { status: 'live', script, base, controller, ...run });
  const current = () => {
    const r = getRun(tabId);
    return r?.status === 'live' && r.runId === run.runId ? r : undefined;
  };
  let error: SqlError | undefined;
  let failure: string | undefined;
  try {
    const events = await client.sql.subscribe({ script, ...run.as }, { signal: controller.signal });
    for await (const event of events) {
      const r = current();
      if (!r || r.stopped !== undefined) break;
      if (event.type === 'error') {
        error = event.error;
        break;
      }
      const live = event.type === 'result' ? startLive(event) : r.live ? applyChanges(r.live, event) : undefined;
      if (!live) continue;
      setRun(tabId, { ...r, live });
      if (event.type === 'changes' && event.deleted.length > 0) {
        setTimeout(() => {
          const later = current();
          if (later?.live) setRun(tabId, { ...later, live: dropDeleted(later.live, live.batch) });
        }, fadeMs());
      }
    }
  } catch (e) {
    if (!controller.signal.aborted) failure = errorMessage(e);
  } finally {
    controller.abort();
  }
  const r = current();
  const rows = r?.live ? liveRowCount(r.live) : null;
  const durationMs = Date.now() - run.startedAt;
  if (r && (error || failure !== undefined)) {
    const { runId, as, subject, startedAt } = run;
    setRun(tabId, {
      status: 'done',
      runId,
      script,
      base,
      as,
      subject,
      startedAt,
      durationMs,
      ...(error ? { result: { outcomes: [], error } } : {}),
      ...(failure !== undefined ? { failure } : {}),
    });
  } else if (r && r.stopped === undefined) setRun(tabId, { ...r, stopped: 'ended', durationMs });
  return { error, failure, rows };
}

/** Who a script runs as: the subject viewed as, and the user of its first EXECUTE AS. */
function subjectOf(statements: readonly string[]): string {
  const viewed = describeViewAs(getViewAs());
  const executeAs = statements.map((s) => classifyStatement(s).executeAs).find((u) => u !== undefined);
  return executeAs !== undefined ? `${viewed}, EXECUTE AS ${executeAs}` : viewed;
}

/**
 * Runs scripts from the console: checks them first (read-only mode and the subject's rights refuse
 * before anything is sent; dangerous statements wait for a confirmation), sends them as the subject
 * viewed as, and records every run in the history.
 */
export function useSqlRun(record: (entry: HistoryEntry) => void) {
  const info = useEngineInfo().data;
  const [pending, setPending] = useState<PendingConfirmation | undefined>(undefined);

  const execute = useCallback(
    async ({ tabId, script, base, timeoutMs }: RunRequest) => {
      const statements = splitStatements(script).map((s) => s.text);
      const as = { as: asField(getViewAs()).as };
      const subject = subjectOf(statements);
      const runId = `r-${newId()}`;
      const startedAt = Date.now();
      if (statements.length === 1 && isSubscribe(statements[0]!)) {
        const live = await subscribeRun({ tabId, script, base }, { runId, as, subject, startedAt });
        const error = live.failure ?? (live.error ? `${live.error.code}: ${live.error.message}` : null);
        record({
          id: runId,
          at: new Date(startedAt).toISOString(),
          sql: script,
          durationMs: Date.now() - startedAt,
          subject,
          error,
          rows: live.rows,
          moreRows: false,
        });
        return;
      }
      const running = { status: 'running', runId, script, base, as, subject, startedAt } as const;
      setRun(tabId, running);
      const t0 = performance.now();
      let result: SqlRunResult | undefined;
      let failure: string | undefined;
      try {
        result = await client.sql.run({ script, runId, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...as });
      } catch (e) {
        failure = errorMessage(e);
      }
      const durationMs = Math.round(performance.now() - t0);
      const current = getRun(tabId);
      // The tab was closed meanwhile: nothing shows the run, so its results are released at once.
      const shown = current?.status === 'running' && current.runId === runId;
      setRun(tabId, shown ? { ...running, status: 'done', durationMs, ...(result ? { result } : {}), ...(failure !== undefined ? { failure } : {}) } : current);
      const error = failure ?? (result?.error ? `${result.error.code}: ${result.error.message}` : null);
      record({ id: runId, at: new Date(startedAt).toISOString(), sql: script, durationMs, subject, error, ...rowsOf(result) });
    },
    [record],
  );

  /** Checks a run and starts it, or asks for confirmation, or shows why it is refused. */
  const start = useCallback(
    (request: RunRequest) => {
      const statements = splitStatements(request.script).map((s) => s.text);
      if (statements.length === 0) return;
      const check = checkRun(statements, (need) => refusal(info, need));
      const subscribe = statements.length > 1 ? statements.find(isSubscribe) : undefined;
      if (subscribe !== undefined) {
        setRun(request.tabId, {
          status: 'refused',
          statement: subscribe,
          reason: 'SUBSCRIBE TO keeps its result open, so it runs on its own: put the cursor in it and run the statement',
        });
      } else if (check.refused) setRun(request.tabId, { status: 'refused', ...check.refused });
      else if (check.confirm.length > 0) setPending({ request, confirm: check.confirm });
      else void execute(request);
    },
    [info, execute],
  );

  const confirm = useCallback(() => {
    if (!pending) return;
    setPending(undefined);
    void execute(pending.request);
  }, [pending, execute]);

  const dismiss = useCallback(() => setPending(undefined), []);

  return { start, pending, confirm, dismiss };
}

/** Stops a tab's running script (its statement ends with CANCELLED), or its live result. */
export async function cancelRun(tabId: string): Promise<void> {
  const run = getRun(tabId);
  if (run?.status === 'live') stopLive(tabId);
  if (run?.status !== 'running') return;
  await client.sql.cancel({ runId: run.runId, ...run.as });
}
