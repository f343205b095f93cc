import { z } from 'zod';
import { BrowseRequestSchema, RowPageSchema, RowSchema } from '../browse';
import { UserIdSchema } from '../keys/user-id';
import { NamedValuesSchema } from '../own-keys';
import { KeyTextSchema, procedure, subjectInput, VersionSchema, WRITES } from './common';
import { TableRefSchema } from '../keys/table-id';

export const VersionedRowSchema = z.object({ row: RowSchema, version: VersionSchema });
export type VersionedRow = z.infer<typeof VersionedRowSchema>;

/** Column values of a data-table row, checked against the table's current column schema in main. */
const RowValuesSchema = NamedValuesSchema;

/**
 * Rows of any table. Reads work for system and data tables alike; the writes here are for data
 * tables (system tables are edited through `entities`). Every row carries its version token
 * (`Row.version`, also `version` beside a single row): opaque, issued here, passed back unchanged
 * with a write. Validation errors name the column (or "user" for a missing owner).
 */
export const rowsContract = {
  /** One page of rows (keyset paging: the cost does not grow with how deep the page is). */
  page: procedure.input(subjectInput({ table: TableRefSchema, request: BrowseRequestSchema })).output(RowPageSchema),
  /** Rows counted up to `cap`; `capped` says the table has at least that many. */
  count: procedure
    .input(subjectInput({ table: TableRefSchema, cap: z.number().int().min(1).max(100_000_000).optional() }))
    .output(z.object({ count: z.number().int(), capped: z.boolean() })),
  get: procedure.input(subjectInput({ table: TableRefSchema, key: KeyTextSchema })).output(VersionedRowSchema),
  /**
   * A new row (stream tables: appended). User and stream rows belong to the subject's user; the
   * admin (no user) names the owner in `user`.
   */
  create: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema, values: RowValuesSchema, user: UserIdSchema.optional() }))
    .output(VersionedRowSchema),
  /**
   * Changes the given columns of a row (not the primary key; stream rows cannot change). Saves
   * only if the row still has `version`, else CONFLICT with the current version, unless `overwrite`.
   */
  update: procedure
    .meta(WRITES)
    .input(
      subjectInput({
        table: TableRefSchema,
        key: KeyTextSchema,
        values: RowValuesSchema,
        version: VersionSchema,
        overwrite: z.boolean().optional(),
      }),
    )
    .output(VersionedRowSchema),
  /** Deletes a row (a tombstone; stream rows go at once); with `version`, only if unchanged (else CONFLICT). */
  delete: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema, key: KeyTextSchema, version: VersionSchema.optional() }))
    .output(z.object({ deleted: z.literal(true) })),
};
