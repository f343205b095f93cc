import type { UserId } from '../../../shared/keys/user-id';
import { consoleLogger, type Logger } from '../../../shared/logger';

export type ChangeOp = 'insert' | 'update' | 'delete';

/** One committed row write. */
export interface ChangeEvent {
  /** "namespace.table" */
  readonly table: string;
  /** The row's key in display form (user tables "user/key", stream tables "user/seq"). */
  readonly key: string;
  readonly op: ChangeOp;
  /** The `_seq` the write stamped (a delete's tombstone seq; a stream eviction's row seq). */
  readonly seq: number;
  /** The owner of the row in user and stream tables: only that user (and admins) may be told. */
  readonly user?: UserId | undefined;
}

export type ChangeListener = (event: ChangeEvent) => void;

/**
 * The engine's change feed: stores publish each write once its transaction has committed (through
 * the backend's commit hook), so a listener never sees a write that rolled back, and sees the
 * writes of one transaction in the order they were made. Listeners run synchronously; one that
 * throws is reported and does not keep the others from their events.
 */
export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly logger: Logger = consoleLogger) {}

  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    // A wrapper per subscription, so one function subscribed twice gets two independent subscriptions.
    const entry: ChangeListener = (e) => listener(e);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  publish(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('change feed listener failed', { table: event.table, error });
      }
    }
  }

  publishAll(events: readonly ChangeEvent[]): void {
    if (this.listeners.size === 0) return;
    for (const event of events) this.publish(event);
  }
}
