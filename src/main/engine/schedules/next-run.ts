import { Cron } from 'croner';
import type { Schedule } from '../../../shared/system/schedules';

type Timing = Pick<Schedule, 'interval_seconds' | 'cron' | 'timezone'>;

/** croner's reading of an expression, as cron's: 5 fields (minutes first) or 6 (seconds first); never started (paused: no timer). */
function cronOf(expression: string, timezone: string | null): Cron {
  return new Cron(expression, { paused: true, ...(timezone === null ? {} : { timezone }) });
}

/** Why a cron expression or time zone cannot be used, or undefined when it can. */
export function cronProblem(expression: string, timezone: string | null): string | undefined {
  try {
    if (timezone !== null) new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    return `unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin)`;
  }
  try {
    const next = cronOf(expression, timezone).nextRun(new Date(0));
    return next === null ? 'never runs' : undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * When a schedule runs next after `since` (ms): its interval counted from `since`, or the first
 * time its cron expression matches strictly after `since`, in its time zone (croner: DST gaps and
 * repeats, month lengths). Null when a cron expression never matches again.
 */
export function nextRunAt(timing: Timing, since: number): number | null {
  if (timing.interval_seconds !== null) return since + timing.interval_seconds * 1000;
  if (timing.cron === null) return null;
  const next = cronOf(timing.cron, timing.timezone).nextRun(new Date(since));
  return next === null ? null : next.getTime();
}
