/**
 * A grouped scan stops as every scan does: the stop signal is checked while the groups are
 * computed (every batch of hot rows and every flushed row group), not only once they are done.
 * Its results against plain SQLite are the differential test's (storage/sqlite/sql-differential.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { splitScript } from '../../../shared/sql/sql-lexer';
import { SYSTEM_SUBJECT } from '../access/subject';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { tid } from '../tables/testing.test-support';
import { SqlQueries } from './sql-queries';

const env = useTestEngine('all');

async function table(): Promise<void> {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'app',
    name: 'g',
    type: 'shared',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'k', type: 'integer', nullable: false },
    ],
  });
  const store = env.engine.data.shared(tid('app.g'));
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 3000 }, (_, i) => ({ id: i, k: i % 7 })),
  );
  await runFlush(env.engine, { table: 'app.g', rowGroupRows: 500 }, testJobContext());
  store.insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: 3000 }, (_, i) => ({ id: 3000 + i, k: i % 7 })),
  );
}

describe('grouped scan', () => {
  it('stops at the stop signal while it reads, and the next query answers in full', async () => {
    await table();
    let checks = 0;
    let stop = true;
    const queries = new SqlQueries(env.engine, () => stop && ++checks > 3);
    const sql = 'SELECT k, count(*) FROM app.g GROUP BY k';
    const [statement] = splitScript(sql);
    const open = queries.open(statement!.tokens, sql, SYSTEM_SUBJECT);
    expect(open.grouped).toBe(true);
    expect(() => open.next(100, 10_000)).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
    // Checked from inside the scan: 6,000 rows in 1,024-row batches and 500-row groups.
    expect(checks).toBe(4);
    stop = false;
    const again = queries.open(statement!.tokens, sql, SYSTEM_SUBJECT);
    expect(again.next(100, 10_000)).toEqual({ rows: Array.from({ length: 7 }, (_, k) => [k, k < 4 ? 858 : 856]), done: true });
  });
});
