import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../api/client';
import { invalidateTable } from '../api/invalidate';
import { useToast } from '../components/toast-context';
import { compactJson } from '../grid/cell-format';
import { modShortcut } from '../palette/use-view-shortcuts';
import { applyStaged } from './apply-staged';
import { inConflict, type RowConflict } from './row-conflicts';
import { stagingStore, useStaged } from './staging-store';
import { byRow, type StagedChange } from './staged-changes';
import { changeStaged, historyStore } from './history-store';
import type { RowWrite } from './edit-history';
import { newRowInput } from './apply-staged';
import type { VersionedRow } from '../../../shared/contract';
import { useReadOnlyText } from '../app/gates';

const show = (v: unknown) => (v === null || v === undefined ? 'null' : typeof v === 'string' ? `“${v}”` : compactJson(v));

interface PendingChangesBarProps {
  table: string;
  /** Staged rows that changed underneath (from the rows on screen). */
  conflicts: ReadonlyMap<string, RowConflict>;
  readOnly: boolean;
}

/**
 * The staged edits of a table: each one with its undo, Apply (one versioned update per row) and
 * Discard. Rows that changed since they were staged are marked with both ways out: keep my edits
 * (re-based on the stored version) or take theirs (drop my edits of that row).
 */
export function PendingChangesBar({ table, conflicts, readOnly }: PendingChangesBarProps) {
  const readOnlyText = useReadOnlyText(readOnly);
  const { changes, problems } = useStaged(table);
  const queryClient = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (changes.length === 0) return null;

  const rows = new Set(changes.map((c) => c.rowKey));
  const anyConflict = [...rows].some((k) => inConflict(k, conflicts, problems));

  async function apply(): Promise<void> {
    setBusy(true);
    try {
      const result = await applyStaged(
        table,
        changes,
        (input) => client.rows.update(input),
        (input) => client.rows.create(input),
      );
      stagingStore.discard(table, new Set(result.saved));
      stagingStore.setProblems(table, result.problems);
      recordApplied(table, changes, result.written);
      if (result.saved.length > 0) await invalidateTable(queryClient, table);
      if (result.problems.size === 0)
        toast.show({ kind: 'success', message: `Applied changes to ${result.saved.length === 1 ? '1 row' : `${result.saved.length} rows`}.` });
      else toast.show({ kind: 'error', message: `${result.problems.size} of ${rows.size} rows were not saved; their edits are still staged.` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`pending${anyConflict ? ' pending--conflict' : ''}`} aria-label="Pending changes">
      <div className="pending__bar">
        <strong role="status">
          {countChanges(changes.length)} in {rows.size === 1 ? '1 row' : `${rows.size} rows`}
        </strong>
        <span className="muted pending__hint">Not saved yet. Kept while you switch tables or sort.</span>
        <span className="browser-bar__spacer" />
        <button
          type="button"
          className="button button--small"
          disabled={busy}
          onClick={() => changeStaged(table, `Discard ${countChanges(changes.length)}`, () => stagingStore.discard(table))}
        >
          Discard all
        </button>
        <button
          type="button"
          className="button button--small button--primary"
          disabled={busy || readOnly}
          title={readOnlyText}
          aria-keyshortcuts={modShortcut('Enter')}
          onClick={() => void apply()}
        >
          {busy ? 'Applying…' : 'Apply changes'}
        </button>
      </div>
      <ul className="pending__list" aria-label="Staged changes">
        {[...byRow(changes.filter((c) => c.newRow))].map(([rowKey, fields]) => (
          <li key={rowKey} className="pending__item">
            <span>
              <strong>{rowKey}</strong>:{' '}
              {fields.map((c, i) => (
                <span key={c.id}>
                  {i > 0 ? ' · ' : ''}
                  <code>{c.column}</code> {show(c.value)}
                </span>
              ))}
            </span>
            <button
              type="button"
              className="button button--small button--ghost"
              aria-label={`Undo ${rowKey}`}
              onClick={() => changeStaged(table, `Undo ${rowKey}`, () => stagingStore.discard(table, new Set([rowKey])))}
            >
              Undo
            </button>
          </li>
        ))}
        {changes
          .filter((c) => !c.newRow)
          .map((c) => (
            <li key={c.id} className="pending__item">
              <span>
                Row <code>{c.rowKey}</code> · <code>{c.column}</code>: {show(c.original)} → <strong>{show(c.value)}</strong>
              </span>
              <button
                type="button"
                className="button button--small button--ghost"
                aria-label={`Undo ${c.column} of row ${c.rowKey}`}
                onClick={() => changeStaged(table, `Undo ${c.column} of row ${c.rowKey}`, () => stagingStore.unstage(table, c.id))}
              >
                Undo
              </button>
            </li>
          ))}
      </ul>
      {[...rows].map((rowKey) => {
        const problem = problems.get(rowKey);
        const conflict = conflicts.get(rowKey);
        if (!problem && !conflict) return null;
        return (
          <div key={rowKey} className={`pending__problem pending__problem--${conflict || problem?.kind === 'conflict' ? 'conflict' : 'error'}`} role="alert">
            <span>
              Row <code>{rowKey}</code>: {conflict ? `changed by someone else after you staged your edit (now version ${conflict.version}).` : problem?.message}
            </span>
            {conflict ? (
              <>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() =>
                    changeStaged(table, `Keep my edits of row ${rowKey}`, () => stagingStore.rebase(table, rowKey, conflict.version, conflict.values))
                  }
                >
                  Keep my edits
                </button>
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => changeStaged(table, `Take theirs for row ${rowKey}`, () => stagingStore.discard(table, new Set([rowKey])))}
                >
                  Take theirs
                </button>
              </>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

/**
 * Applied rows become one step of the edit history (undo writes them back), and their staged
 * cells leave the staged steps: what was saved is never staged again by an undo.
 */
function recordApplied(table: string, changes: readonly StagedChange[], written: ReadonlyMap<string, VersionedRow>): void {
  const rows: RowWrite[] = [];
  const applied = new Set<string>();
  for (const [rowKey, cells] of byRow(changes)) {
    const saved = written.get(rowKey);
    if (!saved) continue;
    for (const c of cells) applied.add(c.id);
    const as = cells[0].as;
    if (cells[0].newRow) {
      const { values, user } = newRowInput(cells);
      rows.push({ op: 'insert', key: saved.row.key, values, user, version: saved.version, as });
    } else {
      const before = Object.fromEntries(cells.map((c) => [c.column, c.original]));
      const after = Object.fromEntries(cells.map((c) => [c.column, c.value]));
      rows.push({ op: 'update', key: rowKey, before, after, version: saved.version, as });
    }
  }
  historyStore.forgetCells(table, applied);
  historyStore.record(table, { kind: 'written', label: `Apply changes to ${rows.length === 1 ? '1 row' : `${rows.length} rows`}`, rows });
}

function countChanges(n: number): string {
  return n === 1 ? '1 staged change' : `${n} staged changes`;
}
