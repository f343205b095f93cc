import { canRead } from '../../shared/access';
import type { EngineEvent } from '../../shared/contract/events-contract';
import { TableIdKey } from '../../shared/keys/table-id';
import type { Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { LiveQueryIdKey } from '../../shared/keys/live-query-id';
import type { TableId } from '../../shared/keys/table-id';
import type { UserId } from '../../shared/keys/user-id';
import type { LiveQueryHandle } from '../engine/tables/live-queries';
import type { SystemCatalog } from './catalog';
import type { Audience, ChangeBus, EventFilter } from './change-bus';
import type { DataCatalog } from './data-catalog';
import type { Acting } from './view-as';

/**
 * Puts the engine's committed data-table writes on the bus, each with its audience (the owner of a
 * user or stream row), while at least one event stream is open: with none, the engine's feed has
 * no subscriber and its writes build no events at all.
 */
export class DataChangeBridge {
  private holders = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly bus: ChangeBus,
  ) {}

  /** Starts the flow if it is the first holder; returns the (idempotent) release. */
  acquire(): () => void {
    if (this.holders++ === 0) {
      this.unsubscribe = this.engine.changes.subscribe((e) => {
        this.bus.publish({ type: 'change', table: e.table, key: e.key, op: e.op, seq: e.seq }, { owner: e.user });
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holders === 0) this.stop();
    };
  }

  get active(): boolean {
    return this.unsubscribe !== undefined;
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Stops the flow whatever the holders (shutdown). */
  close(): void {
    this.holders = 0;
    this.stop();
  }
}

/** Job events carry a system.jobs row: they follow that table's read rule. */
const JOBS_TABLE = 'system.jobs';

/**
 * What a stream acting for `acting` may see: the admin everything; anyone else the rows of its own
 * user in user and stream tables, changes of tables its role may read, and job events only if its
 * role may read system.jobs. Changes without a key (a table altered or dropped) carry no row data
 * and always pass.
 */
export function eventFilter(acting: Acting, catalog: SystemCatalog, data: DataCatalog): EventFilter | undefined {
  if (acting.admin) return undefined;
  const { subject } = acting;
  const jobsReadable = canRead(subject.role, catalog.resolve(JOBS_TABLE).provider.access);
  return (event: EngineEvent, audience: Audience) => {
    if (event.type === 'job') return jobsReadable;
    if (event.type !== 'change' || event.key === null) return true;
    if (audience.owner !== undefined) return subject.userId === audience.owner;
    try {
      const id = TableIdKey.parse(event.table);
      if (data.isSystem(id)) return canRead(subject.role, catalog.resolve(event.table).provider.access);
      return data.canRead(data.resolve(id), subject);
    } catch (e) {
      // A table gone by the time its event is read: nothing to show.
      if (e instanceof EngineError) return false;
      throw e;
    }
  };
}

/**
 * The live queries of this process's open event streams, so shutting the services down removes
 * their rows at once (a stream's own cleanup runs later, when the engine may be closed already).
 */
export class OpenLiveQueries {
  private readonly open = new Set<LiveQueryHandle>();

  add(handle: LiveQueryHandle): void {
    this.open.add(handle);
  }

  /** Closes one; true if it was still open. */
  close(handle: LiveQueryHandle): boolean {
    this.open.delete(handle);
    if (handle.closed) return false;
    handle.close();
    return true;
  }

  closeAll(): void {
    for (const handle of [...this.open]) this.close(handle);
  }
}

const LIVE_QUERIES = 'system.live_queries';

/** What a stream watches: a row of system.live_queries per table, while it is open. */
export interface LiveRegistration {
  readonly user: UserId;
  readonly connectionId: string;
  /** The stream's id; its rows are `<streamId>:<i>`. */
  readonly streamId: string;
  readonly tables: readonly TableId[];
  /** Shown in the rows' filter column. */
  readonly filter: string | null;
}

/**
 * Records a stream's tables in system.live_queries (each row announced on the bus as it comes and
 * goes); returns the rows' ids and the (idempotent) release.
 */
export function registerLiveQueries(engine: Engine, bus: ChangeBus, open: OpenLiveQueries, r: LiveRegistration): { ids: string[]; release: () => void } {
  const handles: LiveQueryHandle[] = [];
  const announce = (handle: LiveQueryHandle, op: 'insert' | 'delete') =>
    bus.publish({ type: 'change', table: LIVE_QUERIES, key: LiveQueryIdKey.display(handle.id), op });
  const release = () => {
    for (const handle of handles.splice(0)) if (open.close(handle)) announce(handle, 'delete');
  };
  try {
    r.tables.forEach((table, i) => {
      const handle = engine.liveQueries.register({ user: r.user, connectionId: r.connectionId, subscriptionId: `${r.streamId}:${i}`, table, filter: r.filter });
      handles.push(handle);
      open.add(handle);
      announce(handle, 'insert');
    });
  } catch (e) {
    release();
    throw e;
  }
  return { ids: handles.map((h) => LiveQueryIdKey.display(h.id)), release };
}
