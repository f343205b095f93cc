import { useSyncExternalStore } from 'react';
import type { ViewAs } from '../../../shared/contract';
import type { SqlRunResult } from '../../../shared/sql/sql-results';
import { client } from '../api/client';
import type { LiveResult } from './live-result';

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
    }
  | {
      /** A SUBSCRIBE TO: its result, kept current until it stops (Stop, Cancel, the tab closed, the console left). */
      readonly status: 'live';
      readonly runId: string;
      readonly script: string;
      readonly base: number;
      readonly as: { readonly as: ViewAs | undefined };
      readonly subject: string;
      readonly startedAt: number;
      /** Aborting it ends the stream (and the subscription in the engine). */
      readonly controller: AbortController;
      /** Undefined until the first result arrives. */
      readonly live?: LiveResult;
      /** Set once the stream ended: the user stopped it, or the engine closed it ("ended"). */
      readonly stopped?: 'stopped' | 'ended';
      readonly durationMs?: number;
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
  // A live result replaced by anything but its own next state stops its subscription.
  if (before?.status === 'live' && (run === undefined || !('runId' in run) || run.runId !== before.runId)) before.controller.abort();
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

/** Stops a tab's live result: its stream is aborted, its rows stay shown as they were. */
export function stopLive(tabId: string): void {
  const run = runs.get(tabId);
  if (run?.status !== 'live' || run.stopped !== undefined) return;
  run.controller.abort();
  setRun(tabId, { ...run, stopped: 'stopped', durationMs: Date.now() - run.startedAt });
}

/** Stops every live result (the console is left: nothing shows them). */
export function stopLiveRuns(): void {
  for (const tabId of [...runs.keys()]) stopLive(tabId);
}

export function useRun(tabId: string): ConsoleRun | undefined {
  useSyncExternalStore(subscribe, () => version);
  return runs.get(tabId);
}
