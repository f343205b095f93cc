import type { Engine } from '../engine/engine';
import type { ChangeBus } from './change-bus';

/** How often the catalog is checked for other processes' DDL while an event stream is open. */
export const EXTERNAL_CATALOG_POLL_MS = 1_000;

/**
 * Puts DDL committed by other processes (the CLI, a second app on the same data directory) on the
 * bus as changes of system.namespaces and system.tables, so open trees and lists refetch. Polls
 * only while at least one event stream is open, like the data-change bridge.
 */
export class ExternalCatalogPoller {
  private holders = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly bus: ChangeBus,
    private readonly intervalMs = EXTERNAL_CATALOG_POLL_MS,
  ) {}

  /** Starts polling if it is the first holder; returns the (idempotent) release. */
  acquire(): () => void {
    if (this.holders++ === 0) {
      this.timer = setInterval(() => this.poll(), this.intervalMs);
      this.timer.unref();
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holders === 0) this.stop();
    };
  }

  /** One check; publishes the catalog's tables as changed when it moved. */
  poll(): void {
    if (!this.engine.backend.open || this.bus.isClosed) return;
    if (!this.engine.externalCatalog.check()) return;
    this.bus.publish({ type: 'change', table: 'system.namespaces', key: null, op: 'bulk' });
    this.bus.publish({ type: 'change', table: 'system.tables', key: null, op: 'bulk' });
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops polling whatever the holders (shutdown). */
  close(): void {
    this.holders = 0;
    this.stop();
  }
}
