import { z } from 'zod';
import { AbsolutePathSchema } from '../host-path';
import { StorageIdSchema } from '../keys/storage-id';
import { ruleCheck } from '../rule-check';
import { StorageTypeSchema, templatesProblems } from '../system/storages';

export const StorageFormSchema = z
  .strictObject({
    storage_name: z.string().min(1, 'must not be empty').max(200),
    description: z.string().max(1000).nullable(),
    storage_type: StorageTypeSchema,
    /** Checked again in the main process by its own platform's rule. */
    base_directory: AbsolutePathSchema,
    shared_tables_template: z.string().min(1, 'must not be empty'),
    user_tables_template: z.string().min(1, 'must not be empty'),
  })
  .check(ruleCheck(templatesProblems));
export type StorageForm = z.infer<typeof StorageFormSchema>;

export const StorageCreateFormSchema = StorageFormSchema.safeExtend({ storage_id: StorageIdSchema });
export type StorageCreateForm = z.infer<typeof StorageCreateFormSchema>;
