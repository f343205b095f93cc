import { z } from 'zod';
import { RoleSchema } from '../access';
import { UserIdSchema } from '../keys/user-id';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';

/** Each right beyond rows: null when the subject has it, else why not (the engine's own refusal). */
const RefusalSchema = z.string().nullable();

export const SubjectRightsSchema = z.object({
  /** See the Jobs page, the header's job list and job events. */
  readJobs: RefusalSchema,
  /** Start, cancel and retry jobs: flush, compact, backup, restore, index rebuild. */
  manageJobs: RefusalSchema,
  /** Create, alter and drop namespaces and tables. */
  changeSchema: RefusalSchema,
  /** See storage statistics (the Overview, a table's Storage tab): every table's segments and every user's rows. */
  readStatistics: RefusalSchema,
  /** Turn the session read-only switch. */
  setReadOnly: RefusalSchema,
});
export type SubjectRights = z.infer<typeof SubjectRightsSchema>;

export const EngineInfoSchema = z.object({
  appVersion: z.string(),
  mode: z.enum(['electron', 'web']),
  dataDir: z.string(),
  databasePath: z.string(),
  logPath: z.string(),
  schemaVersion: z.number().int(),
  readOnly: z.boolean(),
  /** Read-only is locked on for this run (started with --read-only): no switch turns it off. */
  readOnlyLocked: z.boolean(),
  /** Why it is locked; null when it is not. */
  readOnlyReason: z.string().nullable(),
  sqliteVersion: z.string(),
  /** Who the call acted as (its `as`), and what that subject may do. */
  subject: z.object({ userId: UserIdSchema.nullable(), role: RoleSchema }),
  rights: SubjectRightsSchema,
});
export type EngineInfo = z.infer<typeof EngineInfoSchema>;

export const engineContract = {
  info: procedure.input(SubjectOnlyInputSchema).output(EngineInfoSchema),
  /**
   * Read-only mode is enforced in the main process: every write procedure, job and scheduler
   * refuses while it is on. Refused (READ_ONLY) when the launch locked it; needs a dba or system
   * subject; every toggle is recorded in system.audit_log.
   */
  setReadOnly: procedure.input(subjectInput({ readOnly: z.boolean() })).output(EngineInfoSchema),
};
