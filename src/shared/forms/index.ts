import type { z } from 'zod';
import { NamespaceCreateFormSchema, NamespaceFormSchema } from './namespaces-form';
import { ScheduleCreateFormSchema, ScheduleFormSchema } from './schedules-form';
import { StorageCreateFormSchema, StorageFormSchema } from './storages-form';
import { UserCreateFormSchema, UserFormSchema } from './users-form';

export * from './namespaces-form';
export * from './schedules-form';
export * from './storages-form';
export * from './users-form';

/**
 * System tables an administrator edits through forms, with the schema of each form. The other
 * system tables are written by the engine itself (jobs, audit log, manifest, live queries) or by
 * DDL (tables), and are read-only in the browser.
 */
export const EDITABLE_SYSTEM_TABLES = {
  users: { create: UserCreateFormSchema, update: UserFormSchema },
  namespaces: { create: NamespaceCreateFormSchema, update: NamespaceFormSchema },
  storages: { create: StorageCreateFormSchema, update: StorageFormSchema },
  schedules: { create: ScheduleCreateFormSchema, update: ScheduleFormSchema },
} as const satisfies Record<string, { create: z.ZodType; update: z.ZodType }>;

export type EditableSystemTable = keyof typeof EDITABLE_SYSTEM_TABLES;

export function isEditableSystemTable(name: string): name is EditableSystemTable {
  return Object.hasOwn(EDITABLE_SYSTEM_TABLES, name);
}
