import type { Row } from '../../../shared/browse';
import type { StagedChange } from './staged-changes';
import type { RowProblem } from './staging-store';

/** A staged row whose stored version moved on: what is stored now, for "keep mine" / "take theirs". */
export interface RowConflict {
  rowKey: string;
  /** The stored version now (the server's token). */
  version: string;
  values: Readonly<Record<string, unknown>>;
}

/**
 * Staged rows whose loaded version differs from the one they were staged against: a live update
 * (or another window) changed them. Their edits are kept and marked; applying would be refused.
 */
export function rowConflicts(changes: readonly StagedChange[], rows: readonly Row[]): Map<string, RowConflict> {
  const staged = new Map<string, string>();
  for (const c of changes) if (!c.newRow && !staged.has(c.rowKey)) staged.set(c.rowKey, c.baseVersion);
  const out = new Map<string, RowConflict>();
  if (staged.size === 0) return out;
  for (const row of rows) {
    const base = staged.get(row.key);
    if (base !== undefined && row.version !== base) out.set(row.key, { rowKey: row.key, version: row.version, values: row.values });
  }
  return out;
}

/** Whether a row's staged edits are in conflict: seen changed on screen, or refused as such by apply. */
export function inConflict(rowKey: string, conflicts: ReadonlyMap<string, RowConflict>, problems: ReadonlyMap<string, RowProblem>): boolean {
  return conflicts.has(rowKey) || problems.get(rowKey)?.kind === 'conflict';
}
