import type { ScheduleId } from '../../../../shared/keys/schedule-id';
import type { Schedule } from '../../../../shared/system/schedules';
import type { StorageBackend } from '../../storage/storage-backend';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { schedulesTable } from './schedules-table';

/** system.schedules: the maintenance planner's schedules (a handful: read whole). */
export class SchedulesStore extends SystemTableStore<ScheduleId, Schedule> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, schedulesTable));
  }

  all(): Schedule[] {
    return [...this.scan()].map(([, s]) => s);
  }
}
