/**
 * Compacting process for compact-crash.test.ts; the test kills it with SIGKILL at random moments.
 *
 *   node --import tsx compact-crash-child.ts <data dir>
 *
 * Opens the data directory, recovers interrupted flushes and compactions (as the job manager does
 * at startup), seeds app.crash on first start, prints "ready", then forever: one transaction that
 * rewrites a stretch of rows and moves the one extra row to a new id (a tombstone), a flush, and
 * every other round a compaction, all with small row groups. Whatever moment the kill lands on,
 * the table must read as ids 1 … ROWS plus exactly one extra.
 */
import { pathToFileURL } from 'node:url';
import { TableIdKey } from '../../../../shared/keys/table-id';
import { SYSTEM_SUBJECT } from '../../access/subject';
import { Engine } from '../../engine';
import { recoverFlush, runFlush } from '../../flush/flush-job';
import { testJobContext } from '../../flush/testing/flush.test-support';
import { runCompact } from '../compact-job';
import { recoverCompact } from '../compact-recovery';

export const ROWS = 3_000;
export const TABLE = 'app.crash';
export const GROUP_ROWS = 100;
const STRETCH = 600;
const tid = (s: string) => TableIdKey.parse(s);

async function main(dir: string): Promise<void> {
  const engine = Engine.openDataDir(dir);
  recoverFlush(engine);
  recoverCompact(engine);
  if (!engine.system.namespaces.exists('app' as never)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
  if (!engine.system.tables.exists(tid(TABLE))) {
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
    engine.data.shared(tid(TABLE)).insertRows(SYSTEM_SUBJECT, [...Array.from({ length: ROWS }, (_, i) => ({ id: i + 1, title: `r${i + 1}-0` })), { id: ROWS + 1, title: 'extra' }]);
    await runFlush(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
  }
  const store = engine.data.shared(tid(TABLE));
  process.stdout.write('ready\n');
  for (let round = 1; ; round++) {
    engine.backend.transaction(() => {
      const start = (round * 977) % ROWS;
      for (let i = 0; i < STRETCH; i++) {
        const id = ((start + i) % ROWS) + 1;
        store.updateRow(SYSTEM_SUBJECT, id, { title: `r${id}-${round}` });
      }
      const extra = [...store.scanRows(SYSTEM_SUBJECT, { after: ROWS, limit: 1 })][0]![1].id as number;
      store.insertRow(SYSTEM_SUBJECT, { id: extra + 1, title: 'extra' });
      store.deleteRow(SYSTEM_SUBJECT, extra);
    });
    await runFlush(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
    if (round % 2 === 0) {
      process.stdout.write(`compact ${round}\n`);
      await runCompact(engine, { table: TABLE, rowGroupRows: GROUP_ROWS }, testJobContext());
      process.stdout.write(`compacted ${round}\n`);
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  main(process.argv[2]!).catch((e: unknown) => {
    process.stderr.write(`${String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  });
}
