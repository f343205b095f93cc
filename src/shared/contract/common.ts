import { oc } from '@orpc/contract';
import { z } from 'zod';
import { RoleSchema } from '../access';
import { UserIdSchema } from '../keys/user-id';

/** A key in its display form (what the grid shows in the key column). */
export const KeyTextSchema = z.string().min(1, 'must not be empty').max(2000);

/** An entity version token: changes whenever the stored entity changes (optimistic concurrency). */
export const VersionSchema = z.string().min(1).max(100);

/**
 * "View as": who a read or write is made for. Absent or `userId: null` without a role is the
 * administrator (root, system role), who sees every user's rows. A user id acts as that user
 * (with the user's own role, or `role` to try another); `userId: null` with a role acts as that
 * role without a user (user and stream tables then refuse: their rows belong to users).
 * Stateless: every request carries it, the main process resolves it, the engine's access rules decide.
 */
export const ViewAsSchema = z.strictObject({
  userId: UserIdSchema.nullable(),
  role: RoleSchema.optional(),
});
export type ViewAs = z.infer<typeof ViewAsSchema>;

/** The optional `as` field of every procedure: who it runs for (absent: the administrator). */
export const ViewAsFieldSchema = ViewAsSchema.optional();

/**
 * The input of a procedure: a strict object (an unknown key is a VALIDATION error naming it, never
 * dropped) that always has the optional subject `as`, decided by the same access rules everywhere.
 */
export function subjectInput<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject({ ...shape, as: ViewAsFieldSchema });
}

/** The input of a procedure that takes nothing but the subject; it may be left out. */
export const SubjectOnlyInputSchema = subjectInput({}).optional();

/** What the main process knows of each procedure beyond its shapes. */
export interface ProcedureMeta {
  /**
   * It changes stored data: refused in read-only mode before it runs. Job starts are decided per
   * job kind by the job manager instead (a backup only reads).
   */
  readonly writes: boolean;
}

/** The builder of every procedure of the contract (reads unless `.meta({ writes: true })`). */
export const procedure = oc.$meta<ProcedureMeta>({ writes: false });

/** The meta of a write procedure. */
export const WRITES: ProcedureMeta = { writes: true };
