import { z } from 'zod';
import { ScheduleIdSchema } from '../keys/schedule-id';
import { ruleCheck } from '../rule-check';
import { ScheduleSettingsShape, settingsProblems } from '../system/schedules';

/** A schedule's form: its settings (the engine keeps its runs). The cron expression is checked in the main process. */
export const ScheduleFormSchema = z.strictObject(ScheduleSettingsShape).check(ruleCheck(settingsProblems));
export type ScheduleForm = z.infer<typeof ScheduleFormSchema>;

export const ScheduleCreateFormSchema = z.strictObject({ schedule_id: ScheduleIdSchema, ...ScheduleSettingsShape }).check(ruleCheck(settingsProblems));
export type ScheduleCreateForm = z.infer<typeof ScheduleCreateFormSchema>;
