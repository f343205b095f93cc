import type { ColumnInfo, Row } from '../../../shared/browse';
import { ownValue } from '../../../shared/own-keys';
import { formatCell } from './cell-format';

/**
 * Column widths that fit their content: the header (name, sort icon, type tag) in full, and the
 * widest of the values measured (the first page), within bounds. Pure: the text widths come from
 * a `TextMeasure` (a canvas in the browser, see text-measure.ts).
 */

/** The narrowest a column gets, by fitting or by hand. */
export const MIN_COLUMN_WIDTH = 64;
/** The widest fitting makes a column for its values (a long JSON value does not take the screen). */
export const MAX_FIT_WIDTH = 480;
/** The widest a column can be made by hand. */
export const MAX_COLUMN_WIDTH = 1200;
/** Values measured when fitting: a page is 100 to 200 rows; more only costs time. */
export const FIT_SAMPLE_ROWS = 200;

/** How the grid's CSS draws text: the faces a width is measured in. */
export type TextFace = 'header' | 'tag' | 'icon' | 'cell' | 'mono' | 'null';

/** Width in CSS pixels of `text` drawn in `face`. */
export type TextMeasure = (text: string, face: TextFace) => number;

// Box sizes from grid.css (.grid__header, .grid__sort, .grid__header-type, .grid__cell).
const HEADER_PAD_LEFT = 10;
const HEADER_PAD_RIGHT = 8;
const HEADER_GAP = 6;
const TAG_PAD_LEFT = 4;
/** The sort button's padding (4 + 4), less its negative margin (4), plus the gap to its icon (4). */
const SORT_EXTRA = 8;
const CELL_PADDING = 20;
const BORDER = 1;
/** Sub-pixel rounding between the canvas and layout: never an ellipsis for a text that fits. */
const SLACK = 4;

const clamp = (n: number, low: number, high: number) => Math.min(high, Math.max(low, n));

/** The type tag a header shows after the name. */
export function typeTag(info: ColumnInfo): string {
  return info.primaryKey ? 'key' : info.type;
}

/** The face a cell of this column is drawn in, for a value shown as `kind`. */
function cellFace(info: ColumnInfo, kind: string): TextFace {
  if (kind === 'null') return 'null';
  if (info.primaryKey || kind === 'json') return 'mono';
  return 'cell';
}

/** Room the header needs to show its name, sort icon and type tag without truncating any. */
export function headerWidth(info: ColumnInfo, sortable: boolean, measure: TextMeasure): number {
  const name = measure(info.name, 'header');
  const icon = sortable ? SORT_EXTRA + measure('↕', 'icon') : 0;
  const tag = TAG_PAD_LEFT + measure(typeTag(info), 'tag');
  return Math.ceil(HEADER_PAD_LEFT + name + icon + HEADER_GAP + tag + HEADER_PAD_RIGHT + BORDER + SLACK);
}

/** Values measured per column: the longest texts (a canvas measure costs; a short text is rarely the widest). */
export const MEASURED_PER_COLUMN = 8;

/** Room the widest of `rows`' values of the column needs, as cells show them (the longest texts measured). */
export function valuesWidth(info: ColumnInfo, rows: readonly Row[], measure: TextMeasure): number {
  const texts: { text: string; face: TextFace }[] = [];
  const n = Math.min(rows.length, FIT_SAMPLE_ROWS);
  for (let i = 0; i < n; i++) {
    const cell = formatCell(info.type, ownValue(rows[i]!.values, info.name));
    texts.push({ text: cell.text, face: cellFace(info, cell.kind) });
  }
  texts.sort((a, b) => b.text.length - a.text.length);
  let widest = 0;
  for (const { text, face } of texts.slice(0, MEASURED_PER_COLUMN)) widest = Math.max(widest, measure(text, face));
  return Math.ceil(CELL_PADDING + widest + BORDER + SLACK);
}

/**
 * The width that fits a column: its whole header (a short name is never cut by its type tag), and
 * its values up to MAX_FIT_WIDTH; never under MIN_COLUMN_WIDTH nor over MAX_COLUMN_WIDTH.
 */
export function fitColumnWidth(info: ColumnInfo, rows: readonly Row[], sortable: boolean, measure: TextMeasure): number {
  const header = headerWidth(info, sortable, measure);
  const values = Math.min(valuesWidth(info, rows, measure), MAX_FIT_WIDTH);
  return clamp(Math.max(header, values), MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
}

/** Fitted widths of every column, by name (TanStack Table's column sizing state). */
export function fitColumnWidths(
  columns: readonly ColumnInfo[],
  rows: readonly Row[],
  canSort: (info: ColumnInfo) => boolean,
  measure: TextMeasure,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const info of columns) out[info.name] = fitColumnWidth(info, rows, canSort(info), measure);
  return out;
}

/** A width set by hand (drag, arrow keys), within the bounds. */
export function clampWidth(width: number): number {
  return clamp(Math.round(width), MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH);
}
