import { oc } from '@orpc/contract';
import { z } from 'zod';
import { BrowseRequestSchema, RowPageSchema, RowSchema } from '../browse';
import { KeyTextSchema, TableRefSchema, VersionSchema } from './common';

export const VersionedRowSchema = z.object({ row: RowSchema, version: VersionSchema });
export type VersionedRow = z.infer<typeof VersionedRowSchema>;

export const rowsContract = {
  /** One page of rows (keyset paging: the cost does not grow with how deep the page is). */
  page: oc.input(z.object({ table: TableRefSchema, request: BrowseRequestSchema })).output(RowPageSchema),
  /** Rows counted up to `cap`; `capped` says the table has at least that many. */
  count: oc
    .input(z.object({ table: TableRefSchema, cap: z.number().int().min(1).max(100_000_000).optional() }))
    .output(z.object({ count: z.number().int(), capped: z.boolean() })),
  get: oc.input(z.object({ table: TableRefSchema, key: KeyTextSchema })).output(VersionedRowSchema),
};
