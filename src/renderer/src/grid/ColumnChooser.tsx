import type { ColumnVisibilityState } from '@tanstack/react-table';
import { useEffect, useId, useRef, useState } from 'react';
import type { ColumnInfo } from '../../../shared/browse';

interface ColumnChooserProps {
  columns: readonly ColumnInfo[];
  visibility: ColumnVisibilityState;
  onChange: (v: ColumnVisibilityState) => void;
}

/** A popover with a checkbox per column; the key column always stays. */
export function ColumnChooser({ columns, visibility, onChange }: ColumnChooserProps) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const hidden = columns.filter((c) => visibility[c.name] === false).length;

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  return (
    <div
      className="popover-anchor"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button ref={buttonRef} type="button" className="button button--small" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen((o) => !o)}>
        Columns{hidden > 0 ? ` (${columns.length - hidden}/${columns.length})` : ''}
      </button>
      {open ? (
        <fieldset id={panelId} className="popover column-chooser">
          <legend className="column-chooser__legend">Visible columns</legend>
          {columns.map((c) => (
            <label key={c.name} className="checkbox">
              <input
                type="checkbox"
                checked={visibility[c.name] !== false}
                disabled={c.primaryKey}
                onChange={(e) => onChange({ ...visibility, [c.name]: e.target.checked })}
              />
              <span>{c.name}</span>
              <span className="column-chooser__type">{c.type}</span>
            </label>
          ))}
          <div className="column-chooser__actions">
            <button type="button" className="button button--small button--ghost" onClick={() => onChange({})}>
              Show all
            </button>
          </div>
        </fieldset>
      ) : null}
    </div>
  );
}
