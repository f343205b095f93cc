import type { TableAccess } from '../../../../shared/access';
import { type RowId, RowIdKey } from '../../../../shared/keys/row-id';
import { assertCanRead, assertCanWrite, type Subject } from '../../access/subject';
import { ValidationError } from '../../errors';
import { type DataStoreContext, DataTableStore, prefixFields, type WriteOptions } from '../data-table-store';
import type { DataRow } from '../row-schema';
import type { TableSchema } from '../table-schema';

export interface SharedScanOptions {
  /** Primary-key values (typed as the key column), not encoded keys. */
  readonly from?: unknown;
  readonly after?: unknown;
  readonly before?: unknown;
  readonly limit?: number | undefined;
  readonly reverse?: boolean | undefined;
}

/**
 * A shared table: one key space of rows keyed by RowId (the order-preserving encoding of the
 * primary key, so integer keys sort numerically), open to roles by the table's access level.
 * Every *Row method takes the Subject it acts for and checks canRead / canWrite first.
 */
export class SharedTableStore extends DataTableStore<RowId> {
  readonly kind = 'shared' as const;
  private readonly access: TableAccess;

  constructor(schema: TableSchema, context: DataStoreContext) {
    super(schema, context, RowIdKey);
    if (schema.type !== 'shared') throw ValidationError.single(schema.label, '', `${schema.label} is a ${schema.type} table, not a shared table`);
    this.access = schema.access ?? 'private';
  }

  tableAccess(): TableAccess {
    return this.access;
  }

  readScope(subject: Subject): Uint8Array | undefined {
    this.checkCurrent();
    assertCanRead(subject, this.label, this.access);
    return undefined;
  }

  private checkWrite(subject: Subject): void {
    this.checkCurrent();
    assertCanWrite(subject, this.label, this.access);
  }

  parseDisplayKey(text: string): Uint8Array {
    return this.schema.parseRowId(text);
  }

  /** The visible row with this primary-key value. */
  getRow(subject: Subject, pk: unknown): DataRow | undefined {
    this.readScope(subject);
    const row = this.getRaw(this.schema.rowIdOf(pk));
    return row && this.isVisible(row, this.now()) ? row : undefined;
  }

  /** A new row; ALREADY_EXISTS when a live row has its key (a deleted one is replaced). */
  insertRow(subject: Subject, values: unknown): DataRow {
    this.checkWrite(subject);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = this.schema.rowIdOfRow(row);
      this.insertAt(k, row);
      this.emit(() => [this.event(k, 'insert', row._seq)]);
      return row;
    });
  }

  /** New rows, all or none (a bad row's fields are named "<index>.<column>"). Returns how many. */
  insertRows(subject: Subject, rows: Iterable<unknown>): number {
    this.checkWrite(subject);
    return this.backend.transaction(() => {
      const keys: RowId[] = [];
      const seqs: number[] = [];
      let i = 0;
      for (const values of rows) {
        let row: DataRow;
        let k: RowId;
        try {
          row = this.stamp(this.schema.validate(values));
          k = this.schema.rowIdOfRow(row);
        } catch (e) {
          throw prefixFields(String(i), e);
        }
        this.insertAt(k, row);
        keys.push(k);
        seqs.push(row._seq);
        i++;
      }
      this.emit(() => keys.map((k, j) => this.event(k, 'insert', seqs[j]!)));
      return i;
    });
  }

  /** Inserts or replaces the row with the values' primary key. */
  upsertRow(subject: Subject, values: unknown): DataRow {
    this.checkWrite(subject);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = this.schema.rowIdOfRow(row);
      const before = this.getRaw(k);
      this.replaceAt(k, row, before);
      const op = before && !before._deleted ? 'update' : 'insert';
      this.emit(() => [this.event(k, op, row._seq)]);
      return row;
    });
  }

  /** Changes some columns of a live row (NOT_FOUND otherwise); the primary key cannot change. */
  updateRow(subject: Subject, pk: unknown, patch: unknown, options?: WriteOptions): DataRow {
    this.checkWrite(subject);
    return this.backend.transaction(() => {
      const k = this.schema.rowIdOf(pk);
      const current = this.liveRow(k, options);
      const row = this.stamp(this.patched(current, patch));
      this.replaceAt(k, row, current);
      this.emit(() => [this.event(k, 'update', row._seq)]);
      return row;
    });
  }

  /** Writes a tombstone over a live row; false when there is none. */
  deleteRow(subject: Subject, pk: unknown, options?: WriteOptions): boolean {
    this.checkWrite(subject);
    return this.backend.transaction(() => {
      const k = this.schema.rowIdOf(pk);
      const current = this.getRaw(k);
      if (!current || current._deleted) return false;
      this.checkVersion(k, current, options);
      const tomb = this.tombstoneAt(k, current);
      this.emit(() => [this.event(k, 'delete', tomb._seq)]);
      return true;
    });
  }

  /** Visible rows in primary-key order (access and bounds are checked at the call, not at the first row). */
  scanRows(subject: Subject, options: SharedScanOptions = {}): Generator<[RowId, DataRow]> {
    this.readScope(subject);
    const bound = (v: unknown) => (v === undefined ? undefined : this.schema.rowIdOf(v));
    return this.visibleRaw({
      gte: bound(options.from),
      gt: bound(options.after),
      lt: bound(options.before),
      limit: options.limit,
      reverse: options.reverse,
    }) as Generator<[RowId, DataRow]>;
  }

  /** Visible rows, counted up to `cap`. */
  countRows(subject: Subject, options: { cap?: number | undefined } = {}): number {
    this.readScope(subject);
    return this.countVisible(undefined, options.cap);
  }
}
