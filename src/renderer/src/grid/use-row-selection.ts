import { useCallback, useMemo, useState } from 'react';
import type { Row } from '../../../shared/browse';
import { extendTo, NO_SELECTION, selectAll, selectedKeysOf, selectedRowsOf, selectOnly, toggle } from './row-selection';

/**
 * The grid's multi-row selection beside the browser's current row (`current`, moved by `onCurrent`):
 * what DataGrid's `selection` prop takes, the plain select that starts a new selection, and the
 * selected rows in grid order (what copy and delete act on).
 */
export function useRowSelection(rows: readonly Row[], current: Row | undefined, onCurrent: (row: Row | undefined) => void) {
  const [state, setState] = useState(NO_SELECTION);
  const currentKey = current?.key;
  const keys = useMemo(() => selectedKeysOf(state, currentKey), [state, currentKey]);
  const selectedRows = useMemo(() => selectedRowsOf(rows, keys), [rows, keys]);

  const onSelect = useCallback(
    (row: Row) => {
      setState(selectOnly(row.key));
      onCurrent(row);
    },
    [onCurrent],
  );

  const selection = useMemo(
    () => ({
      keys,
      onSelect: (row: Row, how: 'extend' | 'toggle') => {
        const order = rows.map((r) => r.key);
        setState((s) => (how === 'extend' ? extendTo(s, order, row.key, currentKey) : toggle(s, row.key, currentKey)));
        onCurrent(row);
      },
      onSelectAll: () => {
        const first = current ?? rows[0];
        setState(
          selectAll(
            rows.map((r) => r.key),
            first?.key,
          ),
        );
        if (!current && first) onCurrent(first);
      },
    }),
    [keys, rows, current, currentKey, onCurrent],
  );

  return { selection, selectedRows, onSelect };
}
