import { z } from 'zod';
import { timestamp } from '../column-meta';
import { JobIdSchema } from '../keys/job-id';
import { ScheduleIdSchema } from '../keys/schedule-id';
import { TableRefSchema } from '../keys/table-id';
import { type RuleProblem, ruleCheck } from '../rule-check';

/** What a schedule runs; every run is an ordinary job (backup, compact, evict, index_verify). */
export const ScheduleKindSchema = z.enum(['backup', 'compact', 'evict', 'index_verify']);
export type ScheduleKind = z.infer<typeof ScheduleKindSchema>;

/** Runs missed while the app was closed: `run_once` runs once at start, `skip` waits for the next. */
export const MissedRunPolicySchema = z.enum(['run_once', 'skip']);

/** The placeholder a backup folder template must hold: each run's folder is new (the start time, then a counter if taken). */
export const FOLDER_TIMESTAMP = '{timestamp}';

/**
 * What a user sets on a schedule (the form's fields): the kind and its parameters, and an
 * interval or a cron expression. Fields that do not apply to the kind stay null.
 */
export const ScheduleSettingsShape = {
  kind: ScheduleKindSchema,
  enabled: z.boolean(),
  /** Every this many seconds, counted from the last run (or the schedule's creation). */
  interval_seconds: z
    .number()
    .int()
    .min(60)
    .max(366 * 86_400)
    .nullable(),
  /** A cron expression (5 or 6 fields, croner's syntax), read in `timezone`. */
  cron: z.string().trim().min(1).max(200).nullable(),
  /** IANA time zone of the cron expression ("Europe/Berlin"); null: the machine's. */
  timezone: z.string().trim().min(1).max(100).nullable(),
  missed: MissedRunPolicySchema,
  /** backup: an absolute folder path holding {timestamp}, e.g. /backups/kalam-{timestamp}. */
  folder_template: z.string().trim().min(1).max(4096).nullable(),
  /** backup: keep this schedule's last N backups, delete its older ones (never anything else). */
  keep_last: z.number().int().min(1).max(1000).nullable(),
  /** compact: one table ("namespace.table"), or null for every shared and user table. index_verify: one system table, or null for every one. */
  table: TableRefSchema.nullable(),
  /** compact: a scope with at least this many segments is compacted. */
  min_segments: z.number().int().min(2).max(100_000).nullable(),
  /** compact: or with at least two segments smaller than this many MB. */
  small_mb: z.number().min(0).max(1_000_000).nullable(),
};

/** Problems a schedule's settings have together (each at its field); empty when they hold. */
export function settingsProblems(s: {
  kind: ScheduleKind;
  interval_seconds: number | null;
  cron: string | null;
  folder_template: string | null;
  keep_last: number | null;
}): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if ((s.interval_seconds === null) === (s.cron === null)) problems.push({ path: ['cron'], message: 'set either an interval or a cron expression' });
  if (s.kind === 'backup') {
    if (s.folder_template === null) problems.push({ path: ['folder_template'], message: 'is required for a backup schedule' });
    else {
      if (!s.folder_template.includes(FOLDER_TIMESTAMP)) problems.push({ path: ['folder_template'], message: `must contain ${FOLDER_TIMESTAMP}` });
      if (!(s.folder_template.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s.folder_template) || s.folder_template.startsWith('\\\\'))) {
        problems.push({ path: ['folder_template'], message: 'must be an absolute path' });
      }
    }
    if (s.keep_last === null) problems.push({ path: ['keep_last'], message: 'is required for a backup schedule' });
  }
  return problems;
}

/** system.schedules: the maintenance planner's schedules, and what their last run did. */
export const ScheduleSchema = z
  .object({
    schedule_id: ScheduleIdSchema,
    ...ScheduleSettingsShape,
    last_run_at: timestamp().nullable(),
    /** The job the last run started (the first, when it started several). */
    last_job_id: JobIdSchema.nullable(),
    /** What the last run did or why it did nothing, in a line. */
    last_outcome: z.string().max(1000).nullable(),
    /** Backup folders this schedule made, oldest first: the only ones its retention deletes. */
    backups: z.array(z.string().min(1).max(4096)).max(10_000),
    created_at: timestamp(),
    updated_at: timestamp(),
  })
  .check(ruleCheck(settingsProblems));
export type Schedule = z.infer<typeof ScheduleSchema>;
