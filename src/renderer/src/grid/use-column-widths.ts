import type { ColumnSizingState, Updater } from '@tanstack/react-table';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { readStored, writeStored } from '../components/storage';
import { clampWidth, fitColumnWidth, fitColumnWidths } from './column-widths';
import { canvasMeasure } from './text-measure';

const keyFor = (table: string) => `kalam.widths.${table}`;

/** Widths set by hand, by column name; anything else in storage is dropped. */
export function parseWidths(v: unknown): ColumnSizingState | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: ColumnSizingState = {};
  for (const [k, w] of Object.entries(v)) if (typeof w === 'number' && Number.isFinite(w)) out[k] = clampWidth(w);
  return out;
}

/** Fitted widths, and whether they were measured on rows (else on the headers alone: refitted when rows come). */
export interface FittedWidths {
  readonly widths: ColumnSizingState;
  readonly onRows: boolean;
}

export interface ColumnWidths {
  /** Every column's width: fitted, or set by hand. */
  readonly sizing: ColumnSizingState;
  /** The fitted widths (kept with the tab's view, so coming back to it measures nothing). */
  readonly fitted: FittedWidths;
  readonly onSizingChange: (u: Updater<ColumnSizingState>) => void;
  /** Fits one column to the rows loaded now and forgets its width set by hand. */
  readonly autoFit: (column: string) => void;
}

/**
 * A table's column widths: fitted to the first page (header, type tag and values, capped), and
 * those set by hand (drag, keyboard), which are remembered per table in localStorage as column
 * visibility is. `restored`: fitted widths kept from an earlier visit (the tab's view).
 */
export function useColumnWidths(
  table: string,
  columns: readonly ColumnInfo[],
  rows: readonly Row[],
  canSort: (c: ColumnInfo) => boolean,
  restored: FittedWidths | undefined,
): ColumnWidths {
  const [manual, setManual] = useState<ColumnSizingState>(() => readStored(keyFor(table), parseWidths) ?? {});
  // Kept widths serve while they cover every column (a column added since is measured afresh).
  const [fitted, setFitted] = useState<FittedWidths>(() =>
    restored && columns.every((c) => restored.widths[c.name] !== undefined)
      ? restored
      : { widths: fitColumnWidths(columns, rows, canSort, canvasMeasure()), onRows: rows.length > 0 },
  );
  // The first page came after the grid opened (an empty table that got rows, a filter's first match).
  if (!fitted.onRows && rows.length > 0) setFitted({ widths: fitColumnWidths(columns, rows, canSort, canvasMeasure()), onRows: true });

  const sizing = useMemo(() => ({ ...fitted.widths, ...manual }), [fitted, manual]);
  const current = useRef(sizing);
  current.current = sizing;
  const latestRows = useRef(rows);
  latestRows.current = rows;

  const store = useCallback(
    (next: (old: ColumnSizingState) => ColumnSizingState) => {
      setManual((old) => {
        const updated = next(old);
        writeStored(keyFor(table), updated);
        return updated;
      });
    },
    [table],
  );

  const onSizingChange = useCallback(
    (u: Updater<ColumnSizingState>) => {
      const before = current.current;
      const after = typeof u === 'function' ? u(before) : u;
      const changed: ColumnSizingState = {};
      for (const [k, w] of Object.entries(after)) if (before[k] !== w) changed[k] = clampWidth(w);
      if (Object.keys(changed).length > 0) store((old) => ({ ...old, ...changed }));
    },
    [store],
  );

  const autoFit = useCallback(
    (column: string) => {
      const info = columns.find((c) => c.name === column);
      if (!info) return;
      const width = fitColumnWidth(info, latestRows.current, canSort(info), canvasMeasure());
      setFitted((f) => ({ ...f, widths: { ...f.widths, [column]: width } }));
      store(({ [column]: _, ...rest }) => rest);
    },
    [columns, canSort, store],
  );

  return { sizing, fitted, onSizingChange, autoFit };
}
