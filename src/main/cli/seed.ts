import { type TableId, TableIdKey } from '../../shared/keys/table-id';
import { type UserId, UserIdSchema } from '../../shared/keys/user-id';
import { UserNameSchema } from '../../shared/keys/user-name';
import { userRowsPrefix } from '../../shared/keys/user-row-id';
import { newUser } from '../engine/system/users/new-user';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { ValidationError } from '../engine/errors';
import { type JobContext, throwIfCancelled } from '../engine/jobs/job-context';
import type { DataStore } from '../engine/tables/data-table-provider';
import { CliError } from './cli-jobs';

/** Rows per insert transaction. */
const BATCH = 5000;

export interface SeedResult {
  readonly table: string;
  readonly created: boolean;
  readonly rows: number;
  readonly users: number;
}

const COLUMNS = [
  { name: 'id', type: 'integer', primary_key: true },
  { name: 'name', type: 'text', nullable: false },
  { name: 'amount', type: 'integer', nullable: false },
  { name: 'active', type: 'boolean', nullable: false, default: true },
  { name: 'created_at', type: 'timestamp', nullable: false },
  { name: 'note', type: 'text' },
] as const;

/** A generated row; the same id always gives the same row. */
function row(id: number, now: number): Record<string, unknown> {
  return {
    id,
    name: `item-${id}`,
    amount: (id * 7919) % 100_000,
    active: id % 3 !== 0,
    created_at: now - id * 1000,
    note: id % 5 === 0 ? null : `generated row ${id}`,
  };
}

export function seedUserId(i: number): UserId {
  return UserIdSchema.parse(`seed_user_${String(i).padStart(4, '0')}`);
}

/** The highest integer id in a key range (hot and flushed, tombstones included), or 0. */
function maxId(store: DataStore, prefix: Uint8Array | undefined): number {
  for (const [, r] of store.scanMerged({ prefix, reverse: true, limit: 1 })) {
    const id = r[store.schema.primaryKey.name];
    return typeof id === 'number' ? id : 0;
  }
  return 0;
}

/**
 * `seed`: creates the table if missing (a user table when users is given, a shared one otherwise;
 * the namespace too), then adds `rows` generated rows through the table's store, in transactions
 * of BATCH rows, spread evenly over `users` users. Ids continue above the highest id present, so
 * seeding twice adds rows.
 */
export async function seedTable(engine: Engine, params: { table: string; rows: number; users: number | undefined }, ctx: JobContext): Promise<SeedResult> {
  let id: TableId;
  try {
    id = TableIdKey.parse(params.table.toLowerCase());
  } catch (e) {
    throw new CliError(`bad table name "${params.table}": ${(e as Error).message}`);
  }
  const type = params.users === undefined ? 'shared' : 'user';
  let created = false;
  if (!engine.system.tables.exists(id)) {
    if (!engine.system.namespaces.exists(id.namespace)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: id.namespace });
    engine.ddl.createTable(SYSTEM_SUBJECT, { namespace: id.namespace, name: id.table, type, columns: COLUMNS.map((c) => ({ ...c })) });
    created = true;
  }
  const meta = engine.data.metadata(id);
  if (meta.table_type !== type) {
    throw new CliError(`${params.table} is a ${meta.table_type} table; ${meta.table_type === 'user' ? 'pass --users N' : 'leave out --users'}`);
  }
  const store = engine.data.open(id);
  if (!store.schema.columns.some((c) => c.name === 'id' && c.primary_key && c.type === 'integer') || store.schema.columns.length !== COLUMNS.length) {
    throw ValidationError.single('table', '', `${params.table} exists with other columns than seed generates (id, name, amount, active, created_at, note)`);
  }
  const users = params.users ?? 1;
  const now = engine.now();
  let done = 0;
  ctx.report({ phase: 'seeding', done, total: params.rows, unit: 'rows' });
  const started = performance.now();
  for (let u = 0; u < users; u++) {
    const user = params.users === undefined ? undefined : seedUserId(u + 1);
    // Rows belong to existing users: the seed's users are made (once) like any other.
    if (user !== undefined && !engine.system.users.exists(user))
      engine.system.users.insert(newUser({ user_id: user, username: UserNameSchema.parse(user) }, now));
    const share = Math.floor(params.rows / users) + (u < params.rows % users ? 1 : 0);
    let next = maxId(store, user === undefined ? undefined : userRowsPrefix(user)) + 1;
    for (let left = share; left > 0;) {
      throwIfCancelled(ctx);
      const n = Math.min(BATCH, left);
      const batch = Array.from({ length: n }, (_, i) => row(next + i, now));
      if (store.kind === 'user') store.insertRows(SYSTEM_SUBJECT, batch, { user });
      else if (store.kind === 'shared') store.insertRows(SYSTEM_SUBJECT, batch);
      next += n;
      left -= n;
      done += n;
      const seconds = (performance.now() - started) / 1000;
      ctx.report({ phase: 'seeding', done, total: params.rows, rate: seconds > 0 ? done / seconds : null, unit: 'rows' });
      // Let a Ctrl+C reach the signal between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  return { table: TableIdKey.display(id), created, rows: done, users: params.users ?? 0 };
}
