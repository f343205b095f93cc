import type { EngineEvent } from '../../shared/contract/events-contract';
import type { UserId } from '../../shared/keys/user-id';
import { consoleLogger, type Logger } from '../../shared/logger';

/** Who may be told of an event beyond the admin: for a user-table row, only its owner. */
export interface Audience {
  readonly owner?: UserId | undefined;
}

export type EngineEventListener = (event: EngineEvent, audience: Audience) => void;

/** Decides, per stream, whether its reader may see an event. */
export type EventFilter = (event: EngineEvent, audience: Audience) => boolean;

const EVERYONE: Audience = {};

/** Events a slow stream may have queued; beyond this the stream ends and its client resyncs. */
export const MAX_QUEUED_EVENTS = 1000;

/**
 * In-process fan-out of engine events. Writes publish here after they commit; every open
 * `events.subscribe` stream reads from here.
 */
export class ChangeBus {
  private readonly listeners = new Set<EngineEventListener>();
  private readonly enders = new Set<() => void>();
  private closed = false;

  constructor(private readonly logger: Logger = consoleLogger) {}

  get isClosed(): boolean {
    return this.closed;
  }

  publish(event: EngineEvent, audience: Audience = EVERYONE): void {
    if (this.closed) return;
    // Writes publish after they commit: a failing listener must not turn a committed write into an error.
    for (const listener of [...this.listeners]) {
      try {
        listener(event, audience);
      } catch (error) {
        this.logger.error('change event listener failed', { event: event.type, error });
      }
    }
  }

  /** Calls `listener` for every event from now on; returns the unsubscribe function. */
  subscribe(listener: EngineEventListener): () => void {
    if (this.closed) return () => {};
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Events as they come, until `signal` aborts, the bus closes, or the reader falls more than
   * `maxQueued` events behind (it then reconnects and refetches, which is cheaper than buffering).
   * Events `filter` refuses are never queued.
   */
  async *stream(signal?: AbortSignal, maxQueued = MAX_QUEUED_EVENTS, filter?: EventFilter): AsyncGenerator<EngineEvent, void, undefined> {
    if (this.closed || signal?.aborted) return;
    const queue: EngineEvent[] = [];
    let ended = false;
    let wake: (() => void) | undefined;
    const end = () => {
      ended = true;
      wake?.();
    };
    const unsubscribe = this.subscribe((event, audience) => {
      if (filter && !filter(event, audience)) return;
      if (queue.length >= maxQueued) end();
      else {
        queue.push(event);
        wake?.();
      }
    });
    this.enders.add(end);
    signal?.addEventListener('abort', end, { once: true });
    try {
      for (;;) {
        while (!ended && queue.length > 0) yield queue.shift()!;
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      this.enders.delete(end);
      signal?.removeEventListener('abort', end);
    }
  }

  /** Ends every open stream and drops every listener; later publishes are ignored. */
  close(): void {
    this.closed = true;
    for (const end of [...this.enders]) end();
    this.listeners.clear();
  }
}
