/**
 * The grid's multi-row selection, by row key: a click selects one row, Shift extends a range from
 * the anchor (the row last clicked alone or toggled), Ctrl/Cmd toggles one row, Ctrl/Cmd+A takes
 * every loaded row. Pure functions over an immutable state, so the rules are tested on their own.
 *
 * The browser's current row (the one Enter opens and the details panel shows) is kept apart; the
 * selection follows it only while `focus` names it. When the current row moves another way (go to
 * key, a saved form), the selection is just that row again (see `selectedKeysOf`).
 */
export interface RowSelection {
  /** Where a Shift range starts. */
  readonly anchor: string | undefined;
  /** The row the last selection gesture was on (the current row it belongs to). */
  readonly focus: string | undefined;
  readonly keys: ReadonlySet<string>;
}

export const NO_SELECTION: RowSelection = { anchor: undefined, focus: undefined, keys: new Set() };

/** A plain click or arrow: this row alone. */
export function selectOnly(key: string): RowSelection {
  return { anchor: key, focus: key, keys: new Set([key]) };
}

/** Ctrl/Cmd+click: this row in or out of the selection; it becomes the anchor of the next range. */
export function toggle(state: RowSelection, key: string, current: string | undefined): RowSelection {
  const keys = new Set(selectedKeysOf(state, current));
  if (keys.has(key)) keys.delete(key);
  else keys.add(key);
  return { anchor: key, focus: key, keys };
}

/**
 * Shift+click or Shift+arrow: every row from the anchor to this one, in grid order (`order`, the
 * loaded rows' keys). Without an anchor among the loaded rows, the range starts at the current row.
 */
export function extendTo(state: RowSelection, order: readonly string[], key: string, current: string | undefined): RowSelection {
  const anchor = state.focus === current && state.anchor !== undefined && order.includes(state.anchor) ? state.anchor : (current ?? key);
  const from = order.indexOf(anchor);
  const to = order.indexOf(key);
  if (from < 0 || to < 0) return selectOnly(key);
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  return { anchor, focus: key, keys: new Set(order.slice(lo, hi + 1)) };
}

/** Ctrl/Cmd+A: every loaded row; the current row stays where it is. */
export function selectAll(order: readonly string[], current: string | undefined): RowSelection {
  const focus = current ?? order[0];
  return { anchor: focus, focus, keys: new Set(order) };
}

/** The selected keys given the current row: the selection while it belongs to it, else the current row alone. */
export function selectedKeysOf(state: RowSelection, current: string | undefined): ReadonlySet<string> {
  if (current !== undefined && state.focus === current) return state.keys;
  return current === undefined ? NO_SELECTION.keys : new Set([current]);
}

/** The selected rows among the loaded ones, in grid order. */
export function selectedRowsOf<R extends { readonly key: string }>(rows: readonly R[], keys: ReadonlySet<string>): R[] {
  if (keys.size === 0) return [];
  return rows.filter((r) => keys.has(r.key));
}
