import { UserIdSchema } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import { EngineError } from './errors';
import type { StorageBackend } from './storage/storage-backend';
import { SystemTables } from './system/system-tables';
import { newUser } from './system/users/new-user';

export interface MigrationContext {
  readonly backend: StorageBackend;
  readonly now: number;
  /** Base directory of the default "local" storage. */
  readonly storageDirectory: string;
}

export interface Migration {
  readonly version: number;
  readonly description: string;
  up(ctx: MigrationContext): void;
}

const META_PARTITION = 'engine.meta';
const VERSION_KEY = new TextEncoder().encode('schema_version');

export const ROOT_USER_ID = UserIdSchema.parse('root');

/** Ordered, append-only: a released migration is never edited, a new one is added. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'system tables, the local storage and the root user',
    up({ backend, now, storageDirectory }) {
      const system = new SystemTables(backend);
      system.storages.createLocal(storageDirectory, now);
      system.users.insert(newUser({ user_id: ROOT_USER_ID, username: UserNameSchema.parse('root'), role: 'system' }, now));
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(backend: StorageBackend): number {
  if (!backend.hasPartition(META_PARTITION)) return 0;
  const bytes = backend.get(META_PARTITION, VERSION_KEY);
  return bytes === undefined ? 0 : Number(new TextDecoder().decode(bytes));
}

/**
 * Brings the database to the latest schema in one transaction: a failing migration leaves the
 * database as it was. Refuses a database written by a newer build.
 */
export function migrate(ctx: MigrationContext, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  return ctx.backend.transaction(() => {
    ctx.backend.createPartition(META_PARTITION);
    const from = schemaVersion(ctx.backend);
    if (from > latest) {
      throw new EngineError('CONFLICT', `the database has schema version ${from}, newer than this build supports (${latest}); update Kalam Studio`);
    }
    for (const m of migrations) {
      if (m.version <= from) continue;
      m.up(ctx);
      ctx.backend.put(META_PARTITION, VERSION_KEY, new TextEncoder().encode(String(m.version)));
    }
    return { from, to: Math.max(from, latest) };
  });
}
