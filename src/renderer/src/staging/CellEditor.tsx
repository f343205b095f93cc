import { useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { ColumnInfo } from '../../../shared/browse';
import { parseColumnText, valueToText } from '../data-rows/column-values';

interface CellEditorProps {
  column: ColumnInfo;
  rowKey: string;
  /** The value on screen when editing starts (the staged one if there is one). */
  value: unknown;
  onCommit: (value: unknown) => void;
  onCancel: () => void;
}

/**
 * An input in place of a cell: Enter (or leaving it) stages the value, Escape cancels. Text that
 * does not fit the column's type stays in the input with the reason, nothing is staged. The reason
 * is drawn outside the grid (rows contain their paint, which would clip it), under the cell, in a
 * live region that exists from the moment editing starts, so screen readers announce it.
 */
export function CellEditor({ column, rowKey, value, onCommit, onCancel }: CellEditorProps) {
  const [text, setText] = useState(() => valueToText(column.type, value));
  const [error, setError] = useState<string | undefined>();
  const label = `Edit ${column.name} of row ${rowKey}`;
  const errorId = `cell-editor-error-${column.name}`;
  const anchor = useRef<HTMLSpanElement>(null);
  const [at, setAt] = useState<{ top: number; left: number; width: number } | undefined>();
  useLayoutEffect(() => {
    const r = anchor.current?.getBoundingClientRect();
    if (error && r) setAt({ top: r.bottom, left: r.left, width: r.width });
  }, [error]);

  const commit = (): boolean => {
    const parsed = parseColumnText(column.type, text, column.nullable);
    if (!parsed.ok) {
      setError(parsed.message);
      return false;
    }
    onCommit(parsed.value);
    return true;
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
    }
  };
  // Leaving the cell keeps a valid value and drops an invalid one (the grid must not trap focus).
  const onBlur = () => {
    if (!commit()) onCancel();
  };
  const common = {
    className: 'cell-editor__input',
    'aria-label': label,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId : undefined,
    autoFocus: true,
    onKeyDown,
    onBlur,
    onDoubleClick: (e: React.MouseEvent) => e.stopPropagation(),
  };

  return (
    <span className="cell-editor" ref={anchor}>
      {column.type === 'boolean' ? (
        <select {...common} value={text} onChange={(e) => setText(e.target.value)}>
          {column.nullable ? <option value="">null</option> : null}
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input {...common} type="text" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      )}
      {createPortal(
        <span
          id={errorId}
          className={`cell-editor__error${error ? '' : ' visually-hidden'}`}
          role="alert"
          style={error && at ? { top: at.top, left: at.left, minWidth: at.width } : undefined}
        >
          {error}
        </span>,
        document.body,
      )}
    </span>
  );
}
