import type { Row } from '../../shared/browse';
import { rowsContract, type VersionedRow } from '../../shared/contract/rows-contract';
import { StreamRowIdKey } from '../../shared/keys/stream-row-id';
import type { UserId } from '../../shared/keys/user-id';
import { userRowsPrefix } from '../../shared/keys/user-row-id';
import { ownValue } from '../../shared/own-keys';
import { NotFoundError } from '../engine/errors';
import { seqOfVersion } from '../engine/store/version';
import { keyBuffer } from '../engine/tables/data-table-store';
import { USER_COLUMN } from '../engine/tables/data-table-provider';
import { writeOwner } from '../engine/tables/ownership';
import type { DataRow } from '../engine/tables/row-schema';
import type { AuditSummary } from './audit';
import type { DataTableEntry } from './data-catalog';
import type { ServiceDeps } from './deps';
import type { DeleteRequest, UpdateRequest } from './editor';
import { asInput, contractError, validationError } from './errors';
import type { Acting } from './view-as';
import { outputOf, type WriteScope } from './writer';

function versioned(row: Row): VersionedRow {
  return { row, version: row.version };
}

/** The `_seq` a data row's version token names; a token no data row carries is a VALIDATION error. */
function expectedSeq(version: string): number {
  const seq = seqOfVersion(version);
  if (seq === undefined) throw validationError([{ field: 'version', message: 'is not a row version (a _seq number)' }]);
  return seq;
}

const summary = (row: Row): AuditSummary => row.values as AuditSummary;

export interface CreateRowRequest {
  readonly values: Record<string, unknown>;
  readonly user?: UserId | undefined;
}

/** The same shape as a system-table edit. */
export type UpdateRowRequest = UpdateRequest;

/** A system-table delete without the namespace cascade. */
export type DeleteRowRequest = Omit<DeleteRequest, 'cascade'>;

/**
 * Row writes on data tables for a subject: the engine's stores validate (field-named errors on the
 * columns, "user" for a missing owner) and enforce access; this adds the read-only check, version
 * checks that answer with the current version, and the audit entry in the write's transaction.
 * Change events come from the engine's change feed once the write commits (see live-changes.ts).
 */
export function dataRowWriter({ writer }: ServiceDeps) {
  /** A visible row by key, as the subject sees it; NOT_FOUND otherwise (also for another user's row). */
  function current(entry: DataTableEntry, acting: Acting, key: string): Row {
    const row = asInput('key', () => entry.provider.get(acting.subject, key));
    if (!row) throw new NotFoundError(`${entry.ref} row "${key}"`);
    return row;
  }

  function checkVersion(entry: DataTableEntry, row: Row, version: string | undefined): number | undefined {
    if (version === undefined) return undefined;
    const expected = expectedSeq(version);
    if (row.version !== version) {
      throw contractError('CONFLICT', `${entry.ref}/${row.key} was changed since it was opened; reload it or save over it.`, { version: row.version });
    }
    return expected;
  }

  const target = (entry: DataTableEntry, key: string) => `${entry.ref}/${key}`;

  return {
    create(entry: DataTableEntry, acting: Acting, request: CreateRowRequest): VersionedRow {
      writer.assertWritable();
      const { subject } = acting;
      const work = (scope: WriteScope): VersionedRow => {
        let k: Uint8Array;
        let stored: DataRow;
        const store = entry.store;
        if (store.kind === 'shared') {
          stored = store.insertRow(subject, request.values);
          k = store.schema.rowIdOfRow(stored);
        } else if (store.kind === 'user') {
          stored = store.insertRow(subject, request.values, { user: request.user });
          k = keyBuffer(userRowsPrefix(writeOwner(subject, request.user, entry.ref)), store.schema.rowIdOfRow(stored));
        } else {
          const [id, appended] = store.appendRow(subject, request.values, { user: request.user });
          stored = appended;
          k = StreamRowIdKey.encode(id);
        }
        const row = entry.provider.toRow(k, stored);
        scope.audit({ action: 'row.create', target: target(entry, row.key), before: null, after: summary(row) });
        return versioned(row);
      };
      return writer.commit(acting.actor, work, { output: outputOf(rowsContract.create) });
    },

    update(entry: DataTableEntry, acting: Acting, request: UpdateRowRequest): VersionedRow {
      writer.assertWritable();
      const store = entry.store;
      if (store.kind === 'stream') {
        throw validationError([{ field: 'table', message: `${entry.ref} is a stream table: its rows are events and cannot be edited` }]);
      }
      const { subject } = acting;
      const work = (scope: WriteScope): VersionedRow => {
        const before = current(entry, acting, request.key);
        const expected = request.overwrite ? undefined : checkVersion(entry, before, request.version);
        const pk = ownValue(before.values, store.schema.primaryKey.name);
        const options = { expectedSeq: expected };
        const stored =
          store.kind === 'shared'
            ? store.updateRow(subject, pk, request.values, options)
            : store.updateRow(subject, pk, request.values, { ...options, user: before.values[USER_COLUMN] as UserId });
        const after = entry.provider.toRow(store.parseDisplayKey(before.key), stored);
        scope.audit({ action: 'row.update', target: target(entry, before.key), before: summary(before), after: summary(after) });
        return versioned(after);
      };
      return writer.commit(acting.actor, work, { output: outputOf(rowsContract.update) });
    },

    delete(entry: DataTableEntry, acting: Acting, request: DeleteRowRequest): { deleted: true } {
      writer.assertWritable();
      const { subject } = acting;
      const store = entry.store;
      const work = (scope: WriteScope) => {
        const before = current(entry, acting, request.key);
        const expected = checkVersion(entry, before, request.version);
        if (store.kind === 'stream') store.deleteRow(subject, StreamRowIdKey.parse(before.key));
        else {
          const pk = ownValue(before.values, store.schema.primaryKey.name);
          const options = { expectedSeq: expected };
          if (store.kind === 'shared') store.deleteRow(subject, pk, options);
          else store.deleteRow(subject, pk, { ...options, user: before.values[USER_COLUMN] as UserId });
        }
        scope.audit({ action: 'row.delete', target: target(entry, before.key), before: summary(before), after: null });
        return { deleted: true as const };
      };
      return writer.commit(acting.actor, work, { output: outputOf(rowsContract.delete) });
    },
  };
}
