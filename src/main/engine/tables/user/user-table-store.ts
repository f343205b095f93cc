import type { UserId } from '../../../../shared/keys/user-id';
import { type UserRowId, UserRowIdKey, userRowsPrefix } from '../../../../shared/keys/user-row-id';
import type { Subject } from '../../access/subject';
import { ValidationError } from '../../errors';
import { type DataStoreContext, DataTableStore, keyBuffer, prefixFields, type WriteOptions } from '../data-table-store';
import { newRowOwner, type OwnerOption, scopeUser, splitUserKey, writeOwner } from '../ownership';
import type { DataRow } from '../row-schema';
import type { TableSchema } from '../table-schema';

export interface UserScanOptions extends OwnerOption {
  /** Primary-key values within one user's rows (a cross-user admin scan takes no bounds). */
  readonly from?: unknown;
  readonly after?: unknown;
  readonly before?: unknown;
  readonly limit?: number | undefined;
  readonly reverse?: boolean | undefined;
}

/**
 * A user table: every row belongs to one user and is keyed by UserRowId (user, row key), so one
 * user's rows are one contiguous key range (userRowsPrefix, whose string terminator keeps "alice"
 * from ever matching "alice2"). Every *Row method resolves the subject to a user first and reads
 * or writes under that user's prefix only.
 */
export class UserTableStore extends DataTableStore<UserRowId> {
  readonly kind = 'user' as const;

  constructor(schema: TableSchema, context: DataStoreContext) {
    super(schema, context, UserRowIdKey);
    if (schema.type !== 'user') throw ValidationError.single(schema.label, '', `${schema.label} is a ${schema.type} table, not a user table`);
  }

  readScope(subject: Subject, user?: UserId): Uint8Array | undefined {
    this.checkCurrent();
    const owner = scopeUser(subject, user, 'read', this.label);
    return owner === undefined ? undefined : userRowsPrefix(owner);
  }

  private owner(subject: Subject, user: UserId | undefined): Uint8Array {
    this.checkCurrent();
    return userRowsPrefix(writeOwner(subject, user, this.label));
  }

  /** The prefix of new rows: their owner must be a live user. */
  private newOwner(subject: Subject, user: UserId | undefined): Uint8Array {
    this.checkCurrent();
    return userRowsPrefix(newRowOwner(subject, user, this.label, this.owners));
  }

  /** A point read names one user: the subject's own, or for admins the one in options (required). */
  private pointPrefix(subject: Subject, user: UserId | undefined): Uint8Array {
    const prefix = this.readScope(subject, user);
    if (prefix === undefined) throw new ValidationError(this.label, [{ field: 'user', message: 'an admin read of one row must name the user who owns it' }]);
    return prefix;
  }

  override ownerOf(keyBytes: Uint8Array): UserId {
    return UserRowIdKey.decode(keyBytes).user;
  }

  parseDisplayKey(text: string): Uint8Array {
    const [user, key] = splitUserKey('UserRowId', text);
    return keyBuffer(userRowsPrefix(user), this.schema.parseRowId(key));
  }

  getRow(subject: Subject, pk: unknown, options: OwnerOption = {}): DataRow | undefined {
    const prefix = this.pointPrefix(subject, options.user);
    const row = this.getRaw(keyBuffer(prefix, this.schema.rowIdOf(pk)));
    return row && this.isVisible(row, this.now()) ? row : undefined;
  }

  insertRow(subject: Subject, values: unknown, options: OwnerOption = {}): DataRow {
    const prefix = this.newOwner(subject, options.user);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = keyBuffer(prefix, this.schema.rowIdOfRow(row));
      this.insertAt(k, row);
      this.emit(() => [this.event(k, 'insert', row._seq)]);
      return row;
    });
  }

  /** New rows of one user, all or none (a bad row's fields are named "<index>.<column>"). */
  insertRows(subject: Subject, rows: Iterable<unknown>, options: OwnerOption = {}): number {
    const prefix = this.newOwner(subject, options.user);
    return this.backend.transaction(() => {
      const keys: Uint8Array[] = [];
      const seqs: number[] = [];
      let i = 0;
      for (const values of rows) {
        let row: DataRow;
        let id: Uint8Array;
        try {
          row = this.stamp(this.schema.validate(values));
          id = this.schema.rowIdOfRow(row);
        } catch (e) {
          throw prefixFields(String(i), e);
        }
        const k = keyBuffer(prefix, id);
        this.insertAt(k, row);
        keys.push(k);
        seqs.push(row._seq);
        i++;
      }
      this.emit(() => keys.map((k, j) => this.event(k, 'insert', seqs[j]!)));
      return i;
    });
  }

  upsertRow(subject: Subject, values: unknown, options: OwnerOption = {}): DataRow {
    const prefix = this.newOwner(subject, options.user);
    return this.backend.transaction(() => {
      const row = this.stamp(this.schema.validate(values));
      const k = keyBuffer(prefix, this.schema.rowIdOfRow(row));
      const before = this.getRaw(k);
      this.replaceAt(k, row, before);
      const op = before && !before._deleted ? 'update' : 'insert';
      this.emit(() => [this.event(k, op, row._seq)]);
      return row;
    });
  }

  updateRow(subject: Subject, pk: unknown, patch: unknown, options: OwnerOption & WriteOptions = {}): DataRow {
    const prefix = this.owner(subject, options.user);
    return this.backend.transaction(() => {
      const k = keyBuffer(prefix, this.schema.rowIdOf(pk));
      const current = this.liveRow(k, options);
      const row = this.stamp(this.patched(current, patch));
      this.replaceAt(k, row, current);
      this.emit(() => [this.event(k, 'update', row._seq)]);
      return row;
    });
  }

  deleteRow(subject: Subject, pk: unknown, options: OwnerOption & WriteOptions = {}): boolean {
    const prefix = this.owner(subject, options.user);
    return this.backend.transaction(() => {
      const k = keyBuffer(prefix, this.schema.rowIdOf(pk));
      const current = this.getRaw(k);
      if (!current || current._deleted) return false;
      this.checkVersion(k, current, options);
      const tomb = this.tombstoneAt(k, current);
      this.emit(() => [this.event(k, 'delete', tomb._seq)]);
      return true;
    });
  }

  /** Visible rows of the subject's user (admins: of options.user, or of every user in (user, key) order). */
  scanRows(subject: Subject, options: UserScanOptions = {}): Generator<[UserRowId, DataRow]> {
    const prefix = this.readScope(subject, options.user);
    const bounded = options.from !== undefined || options.after !== undefined || options.before !== undefined;
    if (bounded && prefix === undefined) {
      throw new ValidationError(this.label, [{ field: 'user', message: 'key bounds apply within one user: name the user' }]);
    }
    const bound = (v: unknown) => (v === undefined || prefix === undefined ? undefined : keyBuffer(prefix, this.schema.rowIdOf(v)));
    return this.withKeys(
      this.visibleRaw({
        prefix,
        gte: bound(options.from),
        gt: bound(options.after),
        lt: bound(options.before),
        limit: options.limit,
        reverse: options.reverse,
      }),
    );
  }

  countRows(subject: Subject, options: OwnerOption & { cap?: number | undefined } = {}): number {
    return this.countVisible(this.readScope(subject, options.user), options.cap);
  }
}
