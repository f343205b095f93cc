import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client } from '../api/client';
import { invalidateEngine, invalidateTable } from '../api/invalidate';
import type { EngineEvent } from '../../../shared/contract';
import { type ToastApi, useToast } from '../components/toast-context';
import { applyJobEvent, invalidateJobs } from '../jobs/job-cache';
import { jobOutcomeToast } from '../jobs/job-outcomes';

/**
 * - `offline`: the stream dropped but the engine answers: reconnecting.
 * - `stopped`: the engine does not answer at all: the app was stopped, or restarted (in web mode,
 *   maybe on another port, with a new address in its terminal). Retries go on, with backoff.
 * A server that answers 401 was restarted at the same address: the web session expires and
 * SessionGate replaces the app, so no state here stands for it.
 */
export type LiveState = 'connecting' | 'live' | 'offline' | 'stopped';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Bursts of changes (imports, bulk deletes) refetch once per table, not once per event. */
const BATCH_MS = 150;

function createBatcher(queryClient: QueryClient, toast: ToastApi) {
  const tables = new Set<string>();
  let engine = false;
  let jobs = false;
  let reset = false;
  let timer: number | undefined;
  const flush = () => {
    timer = undefined;
    if (reset) void queryClient.invalidateQueries();
    else {
      for (const table of tables) void invalidateTable(queryClient, table);
      if (engine) void invalidateEngine(queryClient);
      if (jobs) void invalidateJobs(queryClient);
    }
    tables.clear();
    engine = false;
    jobs = false;
    reset = false;
  };
  return {
    add(event: EngineEvent): void {
      switch (event.type) {
        case 'change':
          tables.add(event.table);
          break;
        case 'engine':
          engine = true;
          break;
        case 'job': {
          // A job that ended is announced wherever the user is, with a link to it.
          const outcome = jobOutcomeToast(event.job);
          if (outcome) toast.show(outcome);
          // Progress patches the cached jobs at once; a new job or a new status refetches the lists.
          if (!applyJobEvent(queryClient, event.job)) return;
          jobs = true;
          break;
        }
        case 'reset':
          reset = true;
          break;
      }
      timer ??= window.setTimeout(flush, BATCH_MS);
    },
    cancel(): void {
      if (timer !== undefined) window.clearTimeout(timer);
    },
  };
}

/**
 * Whether the engine still answers a plain call. Anything but an answer (refused connection,
 * another program on the port) counts as gone; a 401 also expires the web session on the way.
 */
async function engineAnswers(signal: AbortSignal): Promise<boolean> {
  try {
    await client.engine.info(undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Subscribes once to the engine's events and keeps the caches fresh: a change refetches the
 * queries of its table, an engine event the engine info. Reconnects with backoff when the stream
 * ends, and refetches everything after a reconnect (events may have been missed). Between tries it
 * asks the engine over a plain call whether it is still there (`offline`) or gone (`stopped`).
 */
export function useLiveEvents(): LiveState {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const abort = new AbortController();
    const { signal } = abort;
    let delay = RETRY_MIN_MS;
    const batcher = createBatcher(queryClient, toast);

    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = window.setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          window.clearTimeout(t);
          resolve();
        });
      });

    void (async () => {
      let connectedBefore = false;
      while (!signal.aborted) {
        try {
          const events = await client.events.subscribe(undefined, { signal });
          setState('live');
          if (connectedBefore) await queryClient.invalidateQueries();
          connectedBefore = true;
          delay = RETRY_MIN_MS;
          for await (const event of events) batcher.add(event);
        } catch {
          // Stream failed or ended: fall through to the retry below.
        }
        if (signal.aborted) break;
        const answers = await engineAnswers(signal);
        if (signal.aborted) break;
        setState(answers ? 'offline' : 'stopped');
        await sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    })();

    return () => {
      abort.abort();
      batcher.cancel();
    };
  }, [queryClient, toast]);

  return state;
}
