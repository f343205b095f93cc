import { useCallback, useState } from 'react';
import type { SqlRunResult } from '../../../shared/sql/sql-results';
import { client } from '../api/client';
import { errorMessage } from '../api/errors';
import { refusal } from '../app/gates';
import { useEngineInfo } from '../app/engine';
import { asField, describeViewAs, getViewAs } from '../view-as/view-as-store';
import { type HistoryEntry, newId } from './console-store';
import { checkRun, classifyStatement } from './sql-safety';
import { getRun, setRun } from './sql-runs';
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
      if (check.refused) setRun(request.tabId, { status: 'refused', ...check.refused });
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

/** Stops a tab's running script (its statement ends with CANCELLED). */
export async function cancelRun(tabId: string): Promise<void> {
  const run = getRun(tabId);
  if (run?.status !== 'running') return;
  await client.sql.cancel({ runId: run.runId, ...run.as });
}
