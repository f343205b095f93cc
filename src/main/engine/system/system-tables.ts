import type { StorageBackend } from '../storage/storage-backend';
import type { EntityStore } from '../store/entity-store';
import type { TableProvider } from '../provider/table-provider';
import { AuditLogStore } from './audit_log/audit-log-store';
import { auditLogTable } from './audit_log/audit-log-table';
import { JobsStore } from './jobs/jobs-store';
import { jobsTable } from './jobs/jobs-table';
import { LiveQueriesStore } from './live_queries/live-queries-store';
import { liveQueriesTable } from './live_queries/live-queries-table';
import { ManifestStore } from './manifest/manifest-store';
import { manifestTable } from './manifest/manifest-table';
import { NamespacesStore } from './namespaces/namespaces-store';
import { namespacesTable } from './namespaces/namespaces-table';
import { StoragesStore } from './storages/storages-store';
import { storagesTable } from './storages/storages-table';
import { SchedulesStore } from './schedules/schedules-store';
import { schedulesTable } from './schedules/schedules-table';
import { systemProvider } from './system-table-definition';
import { TablesStore } from './tables/tables-store';
import { tablesTable } from './tables/tables-table';
import { UsersStore } from './users/users-store';
import { usersTable } from './users/users-table';

/** The nine system tables of one database, their stores and their browsing providers. */
export class SystemTables {
  readonly users: UsersStore;
  readonly namespaces: NamespacesStore;
  readonly tables: TablesStore;
  readonly storages: StoragesStore;
  readonly jobs: JobsStore;
  readonly liveQueries: LiveQueriesStore;
  readonly auditLog: AuditLogStore;
  readonly manifest: ManifestStore;
  readonly schedules: SchedulesStore;
  /** Providers by table name ("users"), in the order the sidebar lists them. */
  readonly providers: ReadonlyMap<string, TableProvider>;

  constructor(backend: StorageBackend) {
    this.users = new UsersStore(backend);
    this.namespaces = new NamespacesStore(backend);
    this.tables = new TablesStore(backend);
    this.storages = new StoragesStore(backend);
    this.jobs = new JobsStore(backend);
    this.liveQueries = new LiveQueriesStore(backend);
    this.auditLog = new AuditLogStore(backend);
    this.manifest = new ManifestStore(backend);
    this.schedules = new SchedulesStore(backend);
    this.providers = new Map<string, TableProvider>([
      ['users', systemProvider(this.users, usersTable)],
      ['namespaces', systemProvider(this.namespaces, namespacesTable)],
      ['tables', systemProvider(this.tables, tablesTable)],
      ['storages', systemProvider(this.storages, storagesTable)],
      ['jobs', systemProvider(this.jobs, jobsTable)],
      ['live_queries', systemProvider(this.liveQueries, liveQueriesTable)],
      ['audit_log', systemProvider(this.auditLog, auditLogTable)],
      ['manifest', systemProvider(this.manifest, manifestTable)],
      ['schedules', systemProvider(this.schedules, schedulesTable)],
    ]);
  }

  /** Every store, for index inspection and verification. */
  stores(): EntityStore<unknown, object>[] {
    return [this.users, this.namespaces, this.tables, this.storages, this.jobs, this.liveQueries, this.auditLog, this.manifest, this.schedules];
  }
}
