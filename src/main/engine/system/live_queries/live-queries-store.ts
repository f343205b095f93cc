import { type LiveQueryId, userLiveQueriesPrefix } from '../../../../shared/keys/live-query-id';
import type { UserId } from '../../../../shared/keys/user-id';
import type { LiveQuery } from '../../../../shared/system/live-queries';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { liveQueriesTable } from './live-queries-table';

export class LiveQueriesStore extends SystemTableStore<LiveQueryId, LiveQuery> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, liveQueriesTable));
  }

  *ofUser(user: UserId): Generator<LiveQuery> {
    for (const [, q] of this.scan({ prefix: userLiveQueriesPrefix(user) })) yield q;
  }

  /** Subscriptions cannot outlive the process: rows left by a crash are cleared at start. */
  clearAll(): number {
    return this.deleteMany([...this.scanKeys()]);
  }
}
