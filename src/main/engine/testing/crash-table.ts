/**
 * The table the crash children (flush-crash-child.ts, compact-crash-child.ts) edit until they are
 * killed, and their process scaffolding. No vitest import: the children are plain Node processes.
 */
import { pathToFileURL } from 'node:url';
import { TableIdKey } from '../../../shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../access/subject';
import type { Engine } from '../engine';
import type { SharedTableStore } from '../tables/shared/shared-table-store';

/** Ids 1 … ROWS always exist; one extra row (id > ROWS) keeps moving. */
export const ROWS = 3_000;
export const TABLE = 'app.crash';
const ID = TableIdKey.parse(TABLE);

export interface CrashTable {
  readonly store: SharedTableStore;
  /** Whether this call created and seeded it (the child's first start). */
  readonly created: boolean;
}

/** Opens app.crash, creating it on first start with rows 1 … ROWS titled "r<id>-0" and the extra row. */
export function openCrashTable(engine: Engine): CrashTable {
  if (!engine.system.namespaces.exists('app' as never)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  const created = !engine.system.tables.exists(ID);
  if (created) {
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'app',
      name: 'crash',
      type: 'shared',
      access_level: 'public',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text', nullable: false },
      ],
    });
    engine.data
      .shared(ID)
      .insertRows(SYSTEM_SUBJECT, [...Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, title: `r${i + 1}-0` })), { id: ROWS + 1, title: 'extra' }]);
  }
  return { store: engine.data.shared(ID), created };
}

/**
 * One round of edits, in one transaction: rewrites `stretch` rows (titles "r<id>-<round>") and
 * moves the extra row to a new id (insert the new one, delete the old one: a tombstone).
 */
export function editCrashTable(engine: Engine, store: SharedTableStore, round: number, stretch: number): void {
  engine.backend.transaction(() => {
    const start = (round * 977) % ROWS;
    for (let i = 0; i < stretch; i++) {
      const id = ((start + i) % ROWS) + 1;
      store.updateRow(SYSTEM_SUBJECT, id, { title: `r${id}-${round}` });
    }
    const extra = [...store.scanRows(SYSTEM_SUBJECT, { after: ROWS, limit: 1 })][0]![1].id as number;
    store.insertRow(SYSTEM_SUBJECT, { id: extra + 1, title: 'extra' });
    store.deleteRow(SYSTEM_SUBJECT, extra);
  });
}

/** Runs `main(<data dir argument>)` when the module at `moduleUrl` is the script Node started; a failure exits 1. */
export function runCrashChild(moduleUrl: string, main: (dir: string) => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1]!).href) return;
  main(process.argv[2]!).catch((e: unknown) => {
    process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  });
}
