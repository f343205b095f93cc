import { type LiveQueryId, LiveQueryIdKey } from '../../../shared/keys/live-query-id';
import type { TableId } from '../../../shared/keys/table-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import type { LiveQuery } from '../../../shared/system/live-queries';
import { NotFoundError } from '../errors';
import type { LiveQueriesStore } from '../system/live_queries/live-queries-store';

export interface LiveQueryRegistration {
  /** Who subscribes; an admin view subscribes under its signed-in user. */
  readonly user: UserId;
  /** The window or socket the subscription lives in. */
  readonly connectionId: string;
  readonly subscriptionId: string;
  readonly table: TableId;
  /** The subscription's filter as text, for display. */
  readonly filter?: string | null | undefined;
}

export interface LiveQueryHandle {
  readonly id: LiveQueryId;
  readonly closed: boolean;
  /** Removes the subscription's row; idempotent. */
  close(): void;
}

/**
 * Active subscriptions as rows of system.live_queries: a row exists exactly while its subscription
 * lives. close() removes it, closeConnection() removes a whole window's, and rows left by a crash
 * are cleared when the engine opens (Engine runs system.liveQueries.clearAll at start).
 *
 * Access to the table itself is the caller's check (the services subscribe through a provider the
 * subject may read); this registry only records.
 */
export class LiveQueryRegistry {
  private readonly open = new Map<string, { id: LiveQueryId; connection: string; closed: boolean }>();

  constructor(
    private readonly store: LiveQueriesStore,
    private readonly now: () => number,
    private readonly tableExists: (id: TableId) => boolean,
  ) {}

  /** Records an active subscription; ALREADY_EXISTS for a live (user, connection, subscription). */
  register(registration: LiveQueryRegistration): LiveQueryHandle {
    if (!this.tableExists(registration.table)) throw new NotFoundError(`table ${TableIdKey.display(registration.table)}`);
    const now = this.now();
    const query = this.store.insert({
      user_id: registration.user,
      connection_id: registration.connectionId,
      subscription_id: registration.subscriptionId,
      namespace_id: registration.table.namespace,
      table_name: registration.table.table,
      filter: registration.filter ?? null,
      status: 'active',
      created_at: now,
      last_update: now,
      changes: 0,
    } satisfies LiveQuery);
    const id = this.store.keyOf(query);
    const name = LiveQueryIdKey.display(id);
    const entry = { id, connection: registration.connectionId, closed: false };
    this.open.set(name, entry);
    return {
      id,
      get closed() {
        return entry.closed;
      },
      close: () => {
        if (entry.closed) return;
        this.store.delete(id);
        entry.closed = true;
        this.open.delete(name);
      },
    };
  }

  /** Removes every subscription of a connection (its window closed or its socket dropped); returns how many rows went. */
  closeConnection(connectionId: string): number {
    const ids: LiveQueryId[] = [];
    for (const [id, q] of this.store.scan()) if (q.connection_id === connectionId) ids.push(id);
    const removed = this.store.deleteMany(ids);
    for (const [name, entry] of this.open) {
      if (entry.connection === connectionId) {
        entry.closed = true;
        this.open.delete(name);
      }
    }
    return removed;
  }

  /** Subscriptions registered by this process and not closed yet. */
  get active(): number {
    return this.open.size;
  }
}
