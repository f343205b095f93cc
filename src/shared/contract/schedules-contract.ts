import { z } from 'zod';
import { ScheduleIdSchema } from '../keys/schedule-id';
import { JobSchema } from '../system/jobs';
import { ScheduleSchema } from '../system/schedules';
import { procedure, SubjectOnlyInputSchema, subjectInput } from './common';

export const PlannedScheduleSchema = z.object({
  schedule: ScheduleSchema,
  /** When it runs next (ms); null when disabled or its cron expression never matches again. */
  next_run_at: z.number().int().nullable(),
});
export type PlannedSchedule = z.infer<typeof PlannedScheduleSchema>;

/**
 * The maintenance planner. Schedules are created, edited and deleted as rows of system.schedules
 * (entities.*); these list them with their next run and run one now. A run starts ordinary jobs,
 * so read-only mode decides per job kind (a backup runs; a compaction or an eviction does not).
 */
export const schedulesContract = {
  list: procedure.input(SubjectOnlyInputSchema).output(z.array(PlannedScheduleSchema)),
  run: procedure.input(subjectInput({ id: ScheduleIdSchema })).output(z.object({ jobs: z.array(JobSchema), outcome: z.string().nullable() })),
};
