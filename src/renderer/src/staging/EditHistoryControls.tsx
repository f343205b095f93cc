import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ConflictDialog } from '../editor/ConflictDialog';
import { rowFields } from '../data-rows/row-fields';
import type { DataTableDescription } from '../data-rows/DataRowActions';
import { IS_MAC } from '../palette/shortcuts';
import { modShortcut } from '../palette/use-view-shortcuts';
import { type EditStep, nextUndo } from './edit-history';
import { useEditHistory } from './use-edit-history';
import { useUndoRedo } from './use-undo-redo';

/** Redo's keys: Shift+Ctrl/Cmd+Z, and Ctrl+Y off macOS. */
const REDO_KEYS = IS_MAC ? modShortcut('Shift+Z') : `${modShortcut('Shift+Z')} Control+Y`;

const KIND_TEXT = { staged: 'staged', written: 'applied', final: 'not undoable' } as const;
const kindOf = (step: EditStep) => KIND_TEXT[step.kind];

/**
 * Undo, Redo and the edit history of a data table in this session: staged edits and applied
 * writes (deletes included), newest first. The keys press these buttons (useViewShortcuts).
 */
export function EditHistoryControls({ description, readOnly }: { description: DataTableDescription; readOnly: boolean }) {
  const table = description.table;
  const keyColumn = description.definition.columns.find((c) => c.primary_key)?.name;
  const history = useEditHistory(table);
  const { busy, undo, redo, conflict, resolve, dismissConflict } = useUndoRedo(table, keyColumn);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const anchorRef = useRef<HTMLDivElement>(null);
  // A click elsewhere closes the list, as the column chooser does.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!anchorRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const fields = useMemo(() => rowFields(description.definition.columns, 'edit'), [description.definition.columns]);
  const next = nextUndo(history);
  const again = history.undone.at(-1);
  // Undoing an applied step writes: not in read-only mode. Staged steps only touch the staging.
  const blocked = (step: EditStep | undefined) => busy || step === undefined || (readOnly && step.kind === 'written');

  return (
    <div className="edit-history" role="group" aria-label="Edit history">
      <button
        type="button"
        className="button button--small"
        aria-keyshortcuts={modShortcut('Z')}
        disabled={blocked(next)}
        title={next ? `Undo: ${next.label}` : 'Nothing to undo'}
        onClick={undo}
      >
        Undo
      </button>
      <button
        type="button"
        className="button button--small"
        aria-keyshortcuts={REDO_KEYS}
        disabled={blocked(again)}
        title={again ? `Redo: ${again.label}` : 'Nothing to redo'}
        onClick={redo}
      >
        Redo
      </button>
      <div
        className="popover-anchor"
        ref={anchorRef}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && open) {
            e.stopPropagation();
            setOpen(false);
          }
        }}
      >
        <button
          type="button"
          className="button button--small"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          onClick={() => setOpen((o) => !o)}
        >
          History ({history.done.length})
        </button>
        {open ? (
          <div className="popover edit-history__panel" id={listId} role="region" aria-label="Edit history steps">
            {history.done.length + history.undone.length === 0 ? (
              <p className="muted">No edits in this session yet.</p>
            ) : (
              <ol className="edit-history__list" aria-label="Edit steps, newest first">
                {[...history.undone].map((step, i) => (
                  <li key={`u${i}`} className="edit-history__step edit-history__step--undone">
                    {step.label} <span className="badge badge--muted">undone, {kindOf(step)}</span>
                  </li>
                ))}
                {[...history.done].reverse().map((step, i) => (
                  <li key={`d${i}`} className="edit-history__step">
                    {step.label} <span className="badge badge--muted">{kindOf(step)}</span>
                    {step.kind === 'final' ? <p className="edit-history__reason muted">{step.reason}</p> : null}
                  </li>
                ))}
              </ol>
            )}
          </div>
        ) : null}
      </div>
      {conflict ? (
        <ConflictDialog
          table={table}
          rowKey={conflict.write.key}
          noun="row"
          fields={fields}
          mine={conflict.mine}
          busy={busy}
          onReload={() => resolve('reload')}
          onOverwrite={() => resolve('overwrite')}
          onCancel={dismissConflict}
        />
      ) : null}
    </div>
  );
}
