import { oc } from '@orpc/contract';
import { z } from 'zod';
import { TableAccessSchema } from '../access';
import { ColumnInfoSchema } from '../browse';
import { TableRefSchema } from './common';
import { IndexInfoSchema } from './indexes-contract';

export const TableKindSchema = z.enum(['system', 'shared', 'user', 'stream']);

export const TableSummarySchema = z.object({
  table: z.string(),
  namespace: z.string(),
  name: z.string(),
  kind: TableKindSchema,
  access: TableAccessSchema,
  /** Whether rows can be created, edited and deleted through forms. */
  editable: z.boolean(),
});
export type TableSummary = z.infer<typeof TableSummarySchema>;

export const TableDescriptionSchema = TableSummarySchema.extend({
  columns: z.array(ColumnInfoSchema),
  keyColumns: z.array(z.string()),
  indexes: z.array(IndexInfoSchema),
});
export type TableDescription = z.infer<typeof TableDescriptionSchema>;

export const tablesContract = {
  list: oc.output(z.array(TableSummarySchema)),
  describe: oc.input(z.object({ table: TableRefSchema })).output(TableDescriptionSchema),
};
