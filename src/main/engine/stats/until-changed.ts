import type { DatabaseBackend } from '../storage/sqlite/sqlite-operations';

/**
 * A value derived from the database's content, computed again only once the content may have
 * moved: another connection committed (a job worker, the CLI: SQLite's data_version), this one
 * wrote (total_changes) or the schema changed. Reading the counters costs two pragmas and one
 * statement, whatever the database holds. `forget()` after a wholesale replacement (Engine.reload).
 */
export class UntilChanged<T> {
  private cached: { stamp: string; value: T } | undefined;

  constructor(
    private readonly backend: DatabaseBackend,
    private readonly compute: () => T,
  ) {}

  get(): T {
    const c = this.backend.changeCounters();
    const stamp = `${c.data}:${c.schema}:${c.local}`;
    if (this.cached?.stamp !== stamp) this.cached = { stamp, value: this.compute() };
    return this.cached.value;
  }

  forget(): void {
    this.cached = undefined;
  }
}
