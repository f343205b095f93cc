import { z } from 'zod';
import { UserIdSchema } from '../keys/user-id';
import { NamedValuesSchema } from '../own-keys';
import { KeyTextSchema, procedure, subjectInput, VersionSchema, WRITES } from './common';
import { TableRefSchema } from '../keys/table-id';
import { VersionedRowSchema } from './rows-contract';

/** Form values; checked against the table's form schema (src/shared/forms) in the main process. */
const ValuesSchema = NamedValuesSchema;

export const entitiesContract = {
  create: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema, values: ValuesSchema }))
    .output(VersionedRowSchema),
  /**
   * Saves only if the entity still has `version` (the one it was opened at); otherwise CONFLICT with
   * the current version, unless `overwrite` is set.
   */
  update: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema, key: KeyTextSchema, values: ValuesSchema, version: VersionSchema, overwrite: z.boolean().optional() }))
    .output(VersionedRowSchema),
  delete: procedure
    .meta(WRITES)
    .input(subjectInput({ table: TableRefSchema, key: KeyTextSchema, version: VersionSchema.optional(), cascade: z.boolean().optional() }))
    .output(z.object({ deleted: z.literal(true) })),
  /** Sets a user's password; the hash is made and kept in the main process. */
  setPassword: procedure
    .meta(WRITES)
    .input(subjectInput({ userId: UserIdSchema, password: z.string().max(1024) }))
    .output(VersionedRowSchema),
};
