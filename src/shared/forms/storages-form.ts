import { z } from 'zod';
import { StorageIdSchema } from '../keys/storage-id';
import { StorageTypeSchema, templateProblems } from '../system/storages';

export const StorageFormSchema = z
  .object({
    storage_name: z.string().min(1, 'must not be empty').max(200),
    description: z.string().max(1000).nullable(),
    storage_type: StorageTypeSchema,
    base_directory: z.string().min(1, 'must not be empty'),
    shared_tables_template: z.string().min(1, 'must not be empty'),
    user_tables_template: z.string().min(1, 'must not be empty'),
  })
  .superRefine((s, ctx) => {
    for (const message of templateProblems(s.shared_tables_template, 'shared')) ctx.addIssue({ code: 'custom', path: ['shared_tables_template'], message });
    for (const message of templateProblems(s.user_tables_template, 'user')) ctx.addIssue({ code: 'custom', path: ['user_tables_template'], message });
  });
export type StorageForm = z.infer<typeof StorageFormSchema>;

export const StorageCreateFormSchema = StorageFormSchema.safeExtend({ storage_id: StorageIdSchema });
export type StorageCreateForm = z.infer<typeof StorageCreateFormSchema>;
