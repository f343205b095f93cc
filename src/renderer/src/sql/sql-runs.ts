import { useSyncExternalStore } from 'react';
import type { ViewAs } from '../../../shared/contract';
import type { SqlRunResult } from '../../../shared/sql/sql-results';
import { client } from '../api/client';

/**
 * The last run of each console tab, kept while the window lives (leaving the console and coming
 * back shows it again). A run's open results belong to the subject that ran it: their pages, the
 * cancel and the close are asked as that subject (`as`), whatever the header views as since.
 */
export type ConsoleRun =
  | { readonly status: 'refused'; readonly statement: string; readonly reason: string }
  | {
      readonly status: 'running' | 'done';
      readonly runId: string;
      /** The text sent, and where it starts in the editor (positions in the answer are relative to it). */
      readonly script: string;
      readonly base: number;
      /** The `as` of the run's calls: explicit, so the link adds no other subject. */
      readonly as: { readonly as: ViewAs | undefined };
      /** Who it ran as, for people: "admin", "alice (user)", "EXECUTE AS bob". */
      readonly subject: string;
      readonly startedAt: number;
      readonly durationMs?: number;
      readonly result?: SqlRunResult;
      /** The call itself failed (the engine unreachable, a validation error of the input). */
      readonly failure?: string;
    };

const runs = new Map<string, ConsoleRun>();
const listeners = new Set<() => void>();
let version = 0;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getRun(tabId: string): ConsoleRun | undefined {
  return runs.get(tabId);
}

/** Sets a tab's run; the results of the run it replaces are released in the engine. */
export function setRun(tabId: string, run: ConsoleRun | undefined): void {
  const before = runs.get(tabId);
  if (before && before !== run && before.status === 'done' && (run === undefined || run.status !== 'done' || run.runId !== before.runId)) {
    closeResults(before);
  }
  if (run) runs.set(tabId, run);
  else runs.delete(tabId);
  version += 1;
  for (const l of listeners) l();
}

/** Releases the open results of a run (those whose last page was not read); the engine also closes them after a minute unused. */
function closeResults(run: ConsoleRun): void {
  if (run.status !== 'done' || !run.result) return;
  for (const o of run.result.outcomes) {
    if (o.kind === 'rows' && o.page.next !== undefined) void client.sql.close({ resultId: o.resultId, ...run.as }).catch(() => undefined);
  }
}

export function useRun(tabId: string): ConsoleRun | undefined {
  useSyncExternalStore(subscribe, () => version);
  return runs.get(tabId);
}
