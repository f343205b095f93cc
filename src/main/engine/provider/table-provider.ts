import type { TableAccess } from '../../../shared/access';
import type { BrowseRequest, ColumnInfo, Row, RowPage } from '../../../shared/browse';
import type { TableId } from '../../../shared/keys/table-id';
import type { Subject } from '../access/subject';

export type TableKind = 'system' | 'shared' | 'user' | 'stream';

/**
 * What the app needs to browse any table, system or data, the same way: its columns, filtered
 * and sorted pages, a count and a row by key. Every call names the subject it is made for.
 */
export interface TableProvider {
  readonly tableId: TableId;
  readonly kind: TableKind;
  readonly access: TableAccess;
  columns(): ColumnInfo[];
  browse(subject: Subject, request: BrowseRequest): RowPage;
  count(subject: Subject, cap?: number): number;
  /** A row by the display form of its key; undefined when there is none. */
  get(subject: Subject, key: string): Row | undefined;
}
