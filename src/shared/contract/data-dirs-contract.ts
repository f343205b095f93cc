import { z } from 'zod';
import { AbsolutePathSchema } from '../host-path';
import { JobStatusSchema, JobTypeSchema } from '../system/jobs';
import { procedure, SubjectOnlyInputSchema, subjectInput, WRITES } from './common';

/** A data directory the app knows: the open one and the recently opened ones. */
export const DataDirEntrySchema = z.object({
  path: z.string(),
  /** Its short name (the last path segment). */
  name: z.string(),
  /** When it was last opened from the app (ms since the epoch); null for the open one never switched to. */
  openedAt: z.number().nullable(),
  /** It is the open one. */
  current: z.boolean(),
  /** It still holds a database (kalam.sqlite): opening it would work. */
  available: z.boolean(),
});
export type DataDirEntry = z.infer<typeof DataDirEntrySchema>;

export const DataDirsSchema = z.object({
  current: DataDirEntrySchema,
  /** Newest first, the open one included when it was opened from the app; bounded. */
  recent: z.array(DataDirEntrySchema),
  /** This process can switch its data directory (the app; not a CLI or a test harness). */
  canSwitch: z.boolean(),
});
export type DataDirs = z.infer<typeof DataDirsSchema>;

/**
 * What happens to this process's jobs of the open directory: running ones finish (`wait`) or are
 * cancelled (`cancel`); queued ones are cancelled either way. Left out while jobs are active, the
 * switch is refused (IN_USE, naming them) so the user chooses.
 */
export const RunningJobsSchema = z.enum(['wait', 'cancel']);
export type RunningJobs = z.infer<typeof RunningJobsSchema>;

export const OpenDataDirInputSchema = subjectInput({
  /** An existing data directory (it holds kalam.sqlite). */
  path: AbsolutePathSchema,
  runningJobs: RunningJobsSchema.optional(),
});
export type OpenDataDirInput = z.infer<typeof OpenDataDirInputSchema>;

export const CreateDataDirInputSchema = subjectInput({
  /** A folder that does not exist yet (its parent does) or an empty one. */
  path: AbsolutePathSchema,
  /** Seed the demo data, as a first start does. */
  demo: z.boolean(),
  runningJobs: RunningJobsSchema.optional(),
});
export type CreateDataDirInput = z.infer<typeof CreateDataDirInputSchema>;

/** A job of the directory left behind, as it ended (completed, cancelled, failed; still running if it did not stop in time). */
export const EndedJobSchema = z.object({ id: z.string(), type: JobTypeSchema, status: JobStatusSchema, message: z.string().nullable() });

export const DataDirSwitchSchema = z.object({
  /** The directory now open. */
  path: z.string(),
  name: z.string(),
  /** This call created it. */
  created: z.boolean(),
  /** The directory that was closed. */
  closed: z.string(),
  /** Its jobs that were active, and how each ended. */
  jobs: z.array(EndedJobSchema),
});
export type DataDirSwitch = z.infer<typeof DataDirSwitchSchema>;

/**
 * Several data directories, one open at a time: the main process closes the open engine (its jobs
 * first, its lock released) and opens another without a restart. Only a dba or the operator may;
 * every path is checked in the main process (absolute, a directory, not the open one nor inside it
 * or its storages). The renderer reloads after a switch: nothing of the old directory stays cached.
 */
export const dataDirsContract = {
  list: procedure.input(SubjectOnlyInputSchema).output(DataDirsSchema),
  open: procedure.input(OpenDataDirInputSchema).output(DataDirSwitchSchema),
  /** Creates and opens a new data directory (refused in read-only mode: it writes a database). */
  create: procedure.meta(WRITES).input(CreateDataDirInputSchema).output(DataDirSwitchSchema),
};
