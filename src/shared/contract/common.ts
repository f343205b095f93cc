import { z } from 'zod';
import { TableIdKey } from '../keys/table-id';

/** A table named as "<namespace>.<table>", e.g. "system.users". */
export const TableRefSchema = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      TableIdKey.parse(s);
      return true;
    } catch {
      return false;
    }
  }, 'must name a table as <namespace>.<table>');

/** A key in its display form (what the grid shows in the key column). */
export const KeyTextSchema = z.string().min(1, 'must not be empty').max(2000);

/** An entity version token: changes whenever the stored entity changes (optimistic concurrency). */
export const VersionSchema = z.string().min(1).max(100);
