import type { TableListEntry } from '../../../shared/contract';
import { formatCount } from '../grid/cell-format';

/** "1,204 rows", "10,000+ rows", or "no access" for a subject that may not read the table. */
export function rowCountText(t: Pick<TableListEntry, 'rowCount' | 'rowCountCapped'>): string {
  if (t.rowCount === null) return 'no access';
  return `${formatCount(t.rowCount)}${t.rowCountCapped ? '+' : ''} ${t.rowCount === 1 && !t.rowCountCapped ? 'row' : 'rows'}`;
}

/** The sidebar's compact form: "1,204", "10k+", "—" for no access. */
export function shortCount(t: Pick<TableListEntry, 'rowCount' | 'rowCountCapped'>): string {
  if (t.rowCount === null) return '—';
  if (t.rowCountCapped) return `${formatCount(Math.floor(t.rowCount / 1000))}k+`;
  return formatCount(t.rowCount);
}
