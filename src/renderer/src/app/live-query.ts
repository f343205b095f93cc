import { useEffect } from 'react';
import { client } from '../api/client';
import { useViewAs } from '../view-as/view-as-store';

const RETRY_MS = 2_000;

/**
 * Records the table on screen as a live query (system.live_queries) for as long as it is shown, as
 * the subject the view looks through. The app-wide event stream (live-events.ts) does the cache
 * work; this stream exists so the engine knows who watches what, and its events are ignored.
 */
export function useLiveQuery(table: string | undefined): void {
  const viewAs = useViewAs();
  useEffect(() => {
    if (table === undefined) return;
    const abort = new AbortController();
    const { signal } = abort;
    void (async () => {
      while (!signal.aborted) {
        try {
          // Carries the subject (see api/subject-link.ts); a new subject subscribes again.
          const events = await client.events.subscribe({ tables: [table] }, { signal });
          for await (const event of events) void event;
        } catch {
          // Ended or refused (e.g. an unknown table): retry while the view is still open.
        }
        if (signal.aborted) return;
        await new Promise<void>((resolve) => {
          const t = window.setTimeout(resolve, RETRY_MS);
          signal.addEventListener('abort', () => {
            window.clearTimeout(t);
            resolve();
          });
        });
      }
    })();
    return () => abort.abort();
  }, [table, viewAs]);
}
