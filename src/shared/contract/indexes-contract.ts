import { z } from 'zod';
import { CursorSchema, PageDirectionSchema, PageLimitSchema } from '../paging';
import { procedure, SubjectOnlyInputSchema, subjectInput, WRITES } from './common';
import { TableRefSchema } from '../keys/table-id';

export const IndexInfoSchema = z.object({
  table: z.string(),
  name: z.string(),
  partition: z.string(),
  unique: z.boolean(),
  partial: z.boolean(),
  fields: z.array(z.string()),
  entries: z.number().int(),
  bytes: z.number().int(),
  /** Why the subject asking may not rebuild it (its table's write rule), or null. */
  rebuildRefusal: z.string().nullable(),
});
export type IndexInfo = z.infer<typeof IndexInfoSchema>;

export const IndexEntrySchema = z.object({ indexKey: z.string(), primaryKey: z.string() });

const IndexProblemSchema = z.object({ indexKey: z.string(), primaryKey: z.string() });

export const IndexVerifyReportSchema = z.object({
  index: z.string(),
  entities: z.number().int(),
  entries: z.number().int(),
  missing: z.array(IndexProblemSchema),
  orphaned: z.array(IndexProblemSchema),
  wrong: z.array(IndexProblemSchema),
  truncated: z.boolean(),
});
export type IndexVerifyReport = z.infer<typeof IndexVerifyReportSchema>;

const indexRef = { table: TableRefSchema, index: z.string().min(1).max(100) };

export const indexesContract = {
  /** The indexes of the tables the subject may read. */
  list: procedure.input(SubjectOnlyInputSchema).output(z.array(IndexInfoSchema)),
  /** Entries in index order; `lookup` narrows to entries whose first field starts at that value. */
  entries: procedure
    .input(
      subjectInput({
        ...indexRef,
        limit: PageLimitSchema,
        cursor: CursorSchema.optional(),
        direction: PageDirectionSchema.optional(),
        lookup: z.union([z.string().max(1000), z.number()]).optional(),
      }),
    )
    .output(z.object({ entries: z.array(IndexEntrySchema), next: z.string().optional(), prev: z.string().optional() })),
  verify: procedure.input(subjectInput(indexRef)).output(IndexVerifyReportSchema),
  rebuild: procedure
    .meta(WRITES)
    .input(subjectInput(indexRef))
    .output(z.object({ entries: z.number().int() })),
};
