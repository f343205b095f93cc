import { EDITABLE_SYSTEM_TABLES, type ScheduleCreateForm, type ScheduleForm } from '../../../shared/forms';
import type { ScheduleId } from '../../../shared/keys/schedule-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { Schedule } from '../../../shared/system/schedules';
import type { Engine } from '../../engine/engine';
import { ValidationError } from '../../engine/errors';
import { assertHostPath } from '../../engine/host-path';
import { storesOf } from '../../engine/jobs/kinds/index-verify-job';
import { cronProblem } from '../../engine/schedules/next-run';
import type { EditorSpec } from '../editor';

/**
 * Schedules: the form holds the settings; the engine keeps the runs (last run, outcome, the backups
 * a backup schedule made). Changing a schedule keeps its history, so its retention still knows
 * which backups are its own.
 */
export function schedulesEditor(engine: Engine): EditorSpec<ScheduleId, Schedule, ScheduleCreateForm, ScheduleForm> {
  const { schedules } = engine.system;
  return {
    name: 'schedules',
    store: schedules,
    forms: EDITABLE_SYSTEM_TABLES.schedules,

    draft: (form, now) => ({ ...form, last_run_at: null, last_job_id: null, last_outcome: null, backups: [], created_at: now, updated_at: now }),

    merge: (current, form, now) => ({ ...current, ...form, updated_at: now }),

    // What only the main process can decide: the cron expression (croner), the folder on this platform, the table.
    check(s) {
      if (s.cron !== null) {
        const problem = cronProblem(s.cron, s.timezone);
        if (problem !== undefined)
          throw new ValidationError('schedule', [{ field: s.timezone !== null && problem.includes('time zone') ? 'timezone' : 'cron', message: problem }]);
      }
      if (s.folder_template !== null) assertHostPath('schedule', 'folder_template', s.folder_template);
      if (s.kind === 'compact' && s.table !== null) engine.data.metadata(TableIdKey.parse(s.table));
      if (s.kind === 'index_verify' && s.table !== null) storesOf(engine, s.table);
    },

    remove(id) {
      schedules.delete(id);
    },
  };
}
