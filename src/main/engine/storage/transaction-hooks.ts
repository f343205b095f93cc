/** Hooks of one transaction level (the outermost transaction or one savepoint inside it). */
interface HookLevel {
  readonly commit: (() => void)[];
  readonly rollback: (() => void)[];
}

/** Runs every hook, then rethrows the first error (if any): one failing hook does not starve the rest. */
function runHooks(hooks: readonly (() => void)[]): void {
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}

/**
 * The onCommit / onRollback bookkeeping of StorageBackend.transaction, the same for every backend:
 * one level per transaction() call in progress; a released savepoint hands its hooks to its parent,
 * the outermost commit runs the commit hooks, a rollback runs the rollback hooks of what rolled back.
 */
export class TransactionHooks {
  private readonly levels: HookLevel[] = [];

  /** A transaction() call starts (outermost or nested). */
  enter(): void {
    this.levels.push({ commit: [], rollback: [] });
  }

  /** The innermost transaction() committed (or released its savepoint): see StorageBackend.onCommit. */
  committed(): void {
    const level = this.levels.pop()!;
    const parent = this.levels[this.levels.length - 1];
    if (parent) {
      // A savepoint released into its parent: its hooks now share the parent's fate.
      for (const hook of level.commit) parent.commit.push(hook);
      for (const hook of level.rollback) parent.rollback.push(hook);
    } else if (level.commit.length > 0) {
      runHooks(level.commit);
    }
  }

  /** The innermost transaction() rolled back: runs its rollback hooks (their errors are dropped: the transaction's own is the one to report). */
  rolledBack(): void {
    const level = this.levels.pop()!;
    try {
      runHooks(level.rollback);
    } catch {
      // The transaction's own error is the one to report.
    }
  }

  onCommit(fn: () => void): void {
    const level = this.levels[this.levels.length - 1];
    if (level) level.commit.push(fn);
    else fn();
  }

  onRollback(fn: () => void): void {
    this.levels[this.levels.length - 1]?.rollback.push(fn);
  }
}
