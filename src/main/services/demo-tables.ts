import type { CreateTableInput } from '../../shared/ddl';
import { type TableId, tableId, TableIdKey, TableNameSchema } from '../../shared/keys/table-id';
import { UserIdSchema } from '../../shared/keys/user-id';
import { SYSTEM_SUBJECT } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { type AuditSummary, auditEntry } from './audit';
import type { SystemCatalog } from './catalog';
import { DataCatalog } from './data-catalog';

const ALICE = UserIdSchema.parse('u_alice');
const BOB = UserIdSchema.parse('u_bob');
const DAY_MS = 86_400_000;

interface DemoTable {
  readonly table: Omit<CreateTableInput, 'namespace'>;
  /** Rows per owner; shared tables have one owner, null. */
  readonly rows: (now: number) => readonly { owner: typeof ALICE | null; values: Record<string, unknown> }[];
}

/** One table of each type, with a few rows for two demo users (alice, a dba; bob, a user). */
const DEMO_TABLES: readonly DemoTable[] = [
  {
    table: {
      name: 'products',
      type: 'shared',
      access_level: 'public',
      comment: 'A shared table: one set of rows; every signed-in user may read it, services and dbas write it.',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'name', type: 'text', nullable: false },
        { name: 'price', type: 'double' },
        { name: 'in_stock', type: 'boolean', nullable: false, default: true },
        { name: 'tags', type: 'json' },
      ],
    },
    rows: () => [
      { owner: null, values: { id: 1, name: 'Keyboard', price: 49.9, tags: ['input'] } },
      { owner: null, values: { id: 2, name: 'Mouse', price: 19.5, tags: ['input'] } },
      { owner: null, values: { id: 3, name: 'Monitor', price: 229, in_stock: false, tags: ['display', '27"'] } },
    ],
  },
  {
    table: {
      name: 'notes',
      type: 'user',
      comment: 'A user table: every row belongs to one user, who only ever sees their own.',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text', nullable: false },
        { name: 'body', type: 'text' },
        { name: 'pinned', type: 'boolean', nullable: false, default: false },
        { name: 'created_at', type: 'timestamp' },
      ],
    },
    rows: (now) => [
      { owner: ALICE, values: { id: 1, title: 'Rotate the backup keys', body: 'Before Friday.', pinned: true, created_at: now - 3 * DAY_MS } },
      { owner: ALICE, values: { id: 2, title: 'Review the flush policy', body: null, created_at: now - DAY_MS } },
      { owner: BOB, values: { id: 1, title: 'Groceries', body: 'Milk, eggs, coffee', created_at: now - 2 * DAY_MS } },
      { owner: BOB, values: { id: 2, title: 'Call the plumber', body: null, pinned: true, created_at: now } },
    ],
  },
  {
    table: {
      name: 'events',
      type: 'stream',
      ttl_seconds: 7 * 86_400,
      comment: 'A stream table: per-user events that expire after a week.',
      columns: [
        { name: 'id', type: 'text', primary_key: true },
        { name: 'kind', type: 'text', nullable: false },
        { name: 'payload', type: 'json' },
      ],
    },
    rows: () => [
      { owner: ALICE, values: { id: 'ev-1', kind: 'login', payload: { ip: '127.0.0.1' } } },
      { owner: ALICE, values: { id: 'ev-2', kind: 'export', payload: { table: 'demo.products', rows: 3 } } },
      { owner: BOB, values: { id: 'ev-3', kind: 'login', payload: { ip: '127.0.0.1' } } },
    ],
  },
];

/**
 * The demo's data tables in `namespace`, inside the caller's transaction: each table that does not
 * exist yet, with its rows (user rows only for demo users that exist), audited like the rest of
 * the seed. Returns the targets created ("system.tables/demo.notes", "demo.notes/u_bob/1").
 */
export function seedDemoTables(engine: Engine, catalog: SystemCatalog, namespace: TableId['namespace'], now: number): string[] {
  const created: string[] = [];
  const tablesEntry = catalog.resolve('system.tables');
  const data = new DataCatalog(engine);
  const audit = (action: string, target: string, after: AuditSummary) => {
    engine.system.auditLog.append(auditEntry(SYSTEM_SUBJECT, { action, target, before: null, after }, now));
    created.push(target);
  };
  for (const demo of DEMO_TABLES) {
    const id = tableId(namespace, TableNameSchema.parse(demo.table.name));
    if (engine.system.tables.exists(id)) continue;
    const meta = engine.ddl.createTable(SYSTEM_SUBJECT, { ...demo.table, namespace });
    audit('tables.create', `${tablesEntry.ref}/${TableIdKey.display(id)}`, catalog.summarize(tablesEntry, meta));
    const entry = data.resolve(id);
    for (const { owner, values } of demo.rows(now)) {
      if (owner !== null && !engine.system.users.exists(owner)) continue;
      const store = entry.store;
      let row;
      if (store.kind === 'shared') {
        const stored = store.insertRow(SYSTEM_SUBJECT, values);
        row = entry.provider.toRow(store.schema.rowIdOfRow(stored), stored);
      } else if (store.kind === 'user') {
        store.insertRow(SYSTEM_SUBJECT, values, { user: owner! });
        row = entry.provider.get(SYSTEM_SUBJECT, `${owner}/${String(values.id)}`)!;
      } else {
        const [rowId, stored] = store.appendRow(SYSTEM_SUBJECT, values, { user: owner! });
        row = entry.provider.toRow(store.keyCodec.encode(rowId), stored);
      }
      audit('row.create', `${entry.ref}/${row.key}`, row.values as AuditSummary);
    }
  }
  return created;
}
