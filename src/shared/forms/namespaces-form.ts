import { z } from 'zod';
import { JsonObjectSchema } from '../json-value';
import { NewNamespaceNameSchema } from '../keys/namespace-id';

export const NamespaceFormSchema = z.strictObject({
  comment: z.string().max(1000, 'must be at most 1000 characters').nullable(),
  options: JsonObjectSchema,
});
export type NamespaceForm = z.infer<typeof NamespaceFormSchema>;

export const NamespaceCreateFormSchema = NamespaceFormSchema.extend({ namespace_id: NewNamespaceNameSchema });
export type NamespaceCreateForm = z.infer<typeof NamespaceCreateFormSchema>;
