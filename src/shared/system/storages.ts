import { z } from 'zod';
import { timestamp } from '../column-meta';
import { StorageIdSchema } from '../keys/storage-id';
import { type RuleProblem, ruleCheck } from '../rule-check';

export const StorageTypeSchema = z.enum(['filesystem']);

export const TEMPLATE_PLACEHOLDERS = ['{namespace}', '{tableName}', '{userId}'] as const;

/** Problems with both templates of a storage (or of its form), each at its field. */
export function templatesProblems(s: { shared_tables_template: string; user_tables_template: string }): RuleProblem[] {
  return [
    ...templateProblems(s.shared_tables_template, 'shared').map((message) => ({ path: ['shared_tables_template'], message })),
    ...templateProblems(s.user_tables_template, 'user').map((message) => ({ path: ['user_tables_template'], message })),
  ];
}

/** Problems with a path template; empty when it is valid. Shared and user templates have their own rules. */
export function templateProblems(template: string, kind: 'shared' | 'user'): string[] {
  const problems: string[] = [];
  const unknown = template.match(/\{[^}]*\}/g)?.filter((p) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(p)) ?? [];
  if (unknown.length > 0) problems.push(`unknown placeholder ${unknown.join(', ')} (use {namespace}, {tableName}, {userId})`);
  if (template.startsWith('/') || /^[A-Za-z]:/.test(template)) problems.push('must be relative to the base directory');
  if (template.split(/[/\\]/).some((seg) => seg === '..')) problems.push('must not contain ".." segments');
  const ns = template.indexOf('{namespace}');
  const table = template.indexOf('{tableName}');
  if (ns < 0 || table < 0) problems.push('must contain {namespace} and {tableName}');
  else if (ns > table) problems.push('must place {namespace} before {tableName}');
  if (kind === 'user' && !template.includes('{userId}')) problems.push('must contain {userId}');
  if (kind === 'shared' && template.includes('{userId}')) problems.push('must not contain {userId} (shared tables have no user)');
  return problems;
}

/** system.storages: where flushed Parquet files go. */
export const StorageSchema = z
  .object({
    storage_id: StorageIdSchema,
    storage_name: z.string().min(1, 'must not be empty').max(200),
    description: z.string().max(1000).nullable(),
    storage_type: StorageTypeSchema,
    base_directory: z.string().min(1, 'must not be empty'),
    shared_tables_template: z.string().min(1, 'must not be empty'),
    user_tables_template: z.string().min(1, 'must not be empty'),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .check(ruleCheck(templatesProblems));
export type Storage = z.infer<typeof StorageSchema>;
