import { type ScheduleId, ScheduleIdKey } from '../../../../shared/keys/schedule-id';
import { type Schedule, ScheduleSchema } from '../../../../shared/system/schedules';
import type { SystemTableDefinition } from '../system-table-definition';

export const schedulesTable: SystemTableDefinition<ScheduleId, Schedule> = {
  name: 'schedules',
  key: ScheduleIdKey,
  entity: { kind: 'schedule', version: 1, schema: ScheduleSchema },
  keyOf: (s) => s.schedule_id,
  keyColumns: ['schedule_id'],
  indexes: [],
};
