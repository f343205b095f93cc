/**
 * SQL console suite (issue 14), through the contract's in-process client (no transport: both sides
 * of each ratio pay the same call path). Data: a shared table `bench.big` (N rows, the first half
 * flushed to Parquet, then 1% of the flushed rows updated and 1% deleted), and two user tables of
 * 1,000 rows per user, `bench.notes_small` (U/10 users) and `bench.notes_big` (U users), half of
 * each user's rows flushed.
 *
 *  - point: `SELECT * FROM bench.big WHERE id = ?` (a cold key, a hot key) vs rows.get of the same key, p50;
 *  - user rows: as one user, `SELECT * FROM notes WHERE id <= 1000`, big table / small table, p50 (flat: ≤ 1.25);
 *  - first page: `SELECT * FROM bench.big`, 100 rows, server side (the Chromium render is not measured here), p50 vs 150 ms;
 *  - aggregate: `SELECT k, count(*), sum(x) FROM bench.big GROUP BY k` (a grouped scan), median of 5 vs 1.5 s; the
 *    reference ratio against DuckDB over the same rows (the Parquet segment plus the hot rows written to one more
 *    Parquet file, newest `_seq` per key, tombstones hiding), runs interleaved with ours; and the same aggregate
 *    through the plain plan (a WHERE that keeps every row), one run (info: what the grouped scan replaced);
 *  - memory: RSS growth while the whole result of `SELECT * FROM bench.big` is paged through and dropped, vs 200 MB;
 *  - cancel: sql.cancel of the running aggregate until its sql.run answers CANCELLED, p50 and max of 5 vs 200 ms;
 *  - responsiveness: the main event loop's longest delay while the aggregate runs (info).
 *
 * Queries run in the query worker, as in the app. Each figure in bench/results/sql.json keeps its raw samples.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { setTimeout as delay } from 'node:timers/promises';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import { runFlush } from '../src/main/engine/flush/flush-job';
import { testJobContext } from '../src/main/engine/flush/testing/flush.test-support';
import { createServices, localClient } from '../src/main/services/app-services';
import { newUser } from '../src/main/engine/system/users/new-user';
import { tableId } from '../src/shared/keys/table-id';
import { UserIdSchema } from '../src/shared/keys/user-id';
import { UserNameSchema } from '../src/shared/keys/user-name';
import type { SqlOutcome } from '../src/shared/sql/sql-results';
import { type Figure, pairedFigure, round, summaryFigure } from './lib/figures';
import type { BenchContext } from './lib/suite';
import { median } from './lib/stats';
import { collectGarbage, nowNs, prng } from './lib/timing';

const FULL = { rows: 1_000_000, users: 1000, samples: 200 };
const QUICK = { rows: 100_000, users: 100, samples: 100 };

const ms = (ns: bigint) => Number(ns) / 1e6;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = nowNs();
  await fn();
  return ms(nowNs() - t);
}

/** The users of the user tables, by index. */
function benchUsers(count: number) {
  return Array.from({ length: count }, (_, i) => UserIdSchema.parse(`u_${String(i).padStart(4, '0')}`));
}

/** Builds the suite's tables in an empty data directory (see the header). */
export async function buildSqlData(engine: Engine, size: { rows: number; users: number }, log: (m: string) => void): Promise<void> {
  engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'bench' });
  engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'bench',
    name: 'big',
    type: 'shared',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'k', type: 'integer', nullable: false },
      { name: 'x', type: 'double', nullable: false },
      { name: 'label', type: 'text', nullable: false },
    ],
  });
  const big = engine.data.shared(tableId('bench' as never, 'big' as never));
  const insertBig = (from: number, to: number) => {
    for (let s = from; s <= to; s += 10_000) {
      const rows = [];
      for (let id = s; id < Math.min(s + 10_000, to + 1); id++) rows.push({ id, k: id % 1000, x: (id % 97) / 4, label: `row ${id}` });
      big.insertRows(SYSTEM_SUBJECT, rows);
    }
  };
  log(`sql: building bench.big (${size.rows} rows)`);
  insertBig(1, size.rows / 2);
  await runFlush(engine, { table: 'bench.big' }, testJobContext());
  insertBig(size.rows / 2 + 1, size.rows);
  for (let i = 0; i < size.rows / 100; i++) big.updateRow(SYSTEM_SUBJECT, 1 + i * 50, { label: 'updated' });
  for (let i = 0; i < size.rows / 100; i++) big.deleteRow(SYSTEM_SUBJECT, 26 + i * 50);

  const users = benchUsers(size.users);
  for (const [i, id] of users.entries()) engine.system.users.insert(newUser({ user_id: id, username: UserNameSchema.parse(`bench_${i}`) }, engine.now()));
  for (const [name, count] of [
    ['notes_small', size.users / 10],
    ['notes_big', size.users],
  ] as const) {
    log(`sql: building bench.${name} (${count} users × 1,000 rows)`);
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'bench',
      name,
      type: 'user',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'title', type: 'text', nullable: false },
      ],
    });
    const store = engine.data.user(tableId('bench' as never, name as never));
    const fill = (from: number, to: number) => {
      for (const user of users.slice(0, count)) {
        const rows = [];
        for (let id = from; id <= to; id++) rows.push({ id, title: `note ${id}` });
        store.insertRows(SYSTEM_SUBJECT, rows, { user });
      }
    };
    fill(1, 500);
    await runFlush(engine, { table: `bench.${name}` }, testJobContext());
    fill(501, 1000);
  }
}

/**
 * DuckDB over bench.big's rows, as issue 14 asks for the reference: its flushed segments plus the hot
 * rows (tombstones included) written to one more Parquet file, the newest version of each id kept.
 */
async function duckdbReference(engine: Engine, dir: string): Promise<{ run(): Promise<unknown[][]>; close(): void; version: string }> {
  const big = engine.data.shared(tableId('bench' as never, 'big' as never));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('CREATE TABLE hot (id BIGINT, k BIGINT, x DOUBLE, label VARCHAR, _seq BIGINT, _deleted BOOLEAN)');
  const appender = await conn.createAppender('hot');
  for (const [, row] of big.scanHot()) {
    appender.appendBigInt(BigInt(row.id as number));
    if (row._deleted) {
      appender.appendNull();
      appender.appendNull();
      appender.appendNull();
    } else {
      appender.appendBigInt(BigInt(row.k as number));
      appender.appendDouble(row.x as number);
      appender.appendVarchar(row.label as string);
    }
    appender.appendBigInt(BigInt(row._seq));
    appender.appendBoolean(row._deleted);
    appender.endRow();
  }
  appender.closeSync();
  const hot = join(dir, 'duckdb-hot.parquet');
  await conn.run(`COPY hot TO '${hot}' (FORMAT parquet)`);
  await conn.run('DROP TABLE hot');
  const files = [...engine.cold.segments(big.schema).map((s) => s.path), hot].map((f) => `'${f}'`).join(', ');
  const sql = `SELECT k, count(*)::INTEGER, sum(x) FROM (
    SELECT k, x, _deleted FROM read_parquet([${files}], union_by_name = true)
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _seq DESC) = 1
  ) WHERE NOT _deleted GROUP BY k ORDER BY k`;
  const version = String((await conn.runAndReadAll('SELECT version()')).getRows()[0]![0]);
  return {
    version,
    run: async () => (await conn.runAndReadAll(sql)).getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v))),
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export async function run(ctx: BenchContext): Promise<Figure[]> {
  const size = ctx.quick ? QUICK : FULL;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-sql-'));
  const engine = Engine.openDataDir(dir);
  try {
    const random = prng(14);
    await buildSqlData(engine, size, (m) => ctx.log(m));
    const users = benchUsers(size.users);

    const services = createServices({
      engine,
      mode: 'web',
      dataDir: dir,
      logPath: '',
      appVersion: 'bench',
      jobs: { scheduleEveryMs: 0 },
      // The app's query worker, as TypeScript (the app runs out/main/query-worker.js).
      sql: { workerPath: join(import.meta.dirname, '../src/main/engine/sql/query-worker.ts'), workerExecArgv: ['--import', 'tsx'] },
    });
    await services.ready;
    const client = localClient(services, 'bench');
    const figures: Figure[] = [];
    try {
      // The key becomes a key lookup, read in place (issue 14: not a scan).
      const explain = await client.sql.run({ script: 'EXPLAIN SELECT * FROM bench.big WHERE id = 7' });
      const plan = (explain.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).page.rows[0]!;
      if (plan[2] !== 'key lookup' || !String(plan[3]).endsWith('in place')) throw new Error(`point query: EXPLAIN says ${JSON.stringify(plan)}`);
      // Point queries: SQL vs rows.get, interleaved so a load spike is billed to both.
      for (const [label, pick] of [
        ['cold', () => 2 + Math.floor(random() * (size.rows / 2 - 2))],
        ['hot', () => size.rows / 2 + 1 + Math.floor(random() * (size.rows / 2 - 1))],
      ] as const) {
        const sql: number[] = [];
        const get: number[] = [];
        for (let i = 0; i < size.samples; i++) {
          let id = pick();
          if (id % 50 === 26) id++;
          const r = await client.sql.run({ script: `SELECT * FROM bench.big WHERE id = ${id}` });
          if ((r.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).page.rows.length !== 1) throw new Error(`no row ${id}`);
          // Both sides read the key once untimed (the segment's row groups are cached: the figure is the read, not the decode).
          await client.rows.get({ table: 'bench.big', key: String(id) });
          // Alternating which side goes first, so that what the warm-up left (its garbage) is billed to both alike.
          const ours = () => timed(() => client.sql.run({ script: `SELECT * FROM bench.big WHERE id = ${id}` }));
          const theirs = () => timed(() => client.rows.get({ table: 'bench.big', key: String(id) }));
          if (i % 2 === 0) {
            sql.push(await ours());
            get.push(await theirs());
          } else {
            get.push(await theirs());
            sql.push(await ours());
          }
        }
        figures.push(
          pairedFigure({
            name: `point query, ${label} key`,
            unit: 'ms',
            better: 'lower',
            ours: sql,
            baseline: get,
            target: 2,
            note: 'ours: sql.run of SELECT * … WHERE id = k (a point lookup: one read of the key in the main process, as EXPLAIN shows); baseline: rows.get of the same key; a pair each, after one untimed read of the key by each side, the side that goes first alternating',
          }),
        );
      }

      // One user's rows: flat from the small to the big table.
      const perUser = async (table: string) => {
        const samples: number[] = [];
        for (let i = 0; i < size.samples / 4; i++) {
          const user = users[Math.floor(random() * (size.users / 10))]!;
          samples.push(
            await timed(async () => {
              const r = await client.sql.run({ script: `SELECT * FROM ${table} WHERE id <= 1000`, pageSize: 1000, as: { userId: user } });
              const outcome = r.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>;
              if (outcome.page.rows.length !== 1000) throw new Error(`expected 1000 rows, got ${outcome.page.rows.length} (${JSON.stringify(r.error)})`);
            }),
          );
        }
        return samples;
      };
      const small = await perUser('bench.notes_small');
      const large = await perUser('bench.notes_big');
      figures.push(
        summaryFigure({
          name: `one user's 1,000 rows, ${size.users * 1000} vs ${size.users * 100} total rows`,
          unit: 'ms',
          better: 'lower',
          statistic: 'p50',
          samples: large,
          reference: { statistic: 'p50', samples: small },
          target: 1.25,
          note: 'as one user, SELECT * … WHERE id <= 1000 on the big table vs the small one (flat: at most 1.25×)',
        }),
      );

      const firstPage: number[] = [];
      for (let i = 0; i < 20; i++) {
        firstPage.push(
          await timed(async () => {
            const r = await client.sql.run({ script: 'SELECT * FROM bench.big', pageSize: 100 });
            await client.sql.close({ resultId: (r.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).resultId });
          }),
        );
      }
      figures.push(
        summaryFigure({
          name: 'first page of SELECT * FROM bench.big, server side',
          unit: 'ms',
          better: 'lower',
          statistic: 'p50',
          samples: firstPage,
          reference: { budget: 150 },
          target: 1,
          note: '100 rows through the contract, then the result closed; the Chromium render is not included',
        }),
      );

      const AGGREGATE = 'SELECT k, count(*), sum(x) FROM bench.big GROUP BY k';
      const duck = await duckdbReference(engine, dir);
      const aggregate: number[] = [];
      const reference: number[] = [];
      const loopDelay = monitorEventLoopDelay({ resolution: 5 });
      for (let i = 0; i < 5; i++) {
        loopDelay.enable();
        let ours: SqlOutcome | undefined;
        aggregate.push(await timed(async () => (ours = (await client.sql.run({ script: AGGREGATE })).outcomes[0])));
        loopDelay.disable();
        let theirs: unknown[][] = [];
        reference.push(await timed(async () => (theirs = await duck.run())));
        // Both engines give the same groups.
        const mine = JSON.stringify((ours as Extract<SqlOutcome, { kind: 'rows' }>).page.rows.slice(0, 50));
        if (mine !== JSON.stringify(theirs.slice(0, 50)))
          throw new Error(`aggregate: ours ${mine.slice(0, 200)} ≠ DuckDB ${JSON.stringify(theirs.slice(0, 3))}`);
      }
      duck.close();
      figures.push(
        summaryFigure({
          name: `aggregate GROUP BY k over ${size.rows} rows`,
          unit: 'ms',
          better: 'lower',
          statistic: 'median',
          samples: aggregate,
          reference: { budget: 1500 },
          target: 1,
          note: 'budget 1.5 s; sql.run through the contract, a grouped scan in the query worker (only k and x decoded, groups computed in the scan)',
        }),
        summaryFigure({
          name: 'aggregate GROUP BY k: ours vs DuckDB over the same rows (reference ratio)',
          unit: 'ms',
          better: 'lower',
          statistic: 'median',
          samples: aggregate,
          reference: { statistic: 'median', samples: reference },
          note: `DuckDB ${duck.version} in this process over the segment plus the hot rows as one more Parquet file (written before timing), newest _seq per id, tombstones hiding; runs interleaved with ours`,
        }),
      );
      const plain = await timed(() => client.sql.run({ script: 'SELECT k, count(*), sum(x) FROM bench.big WHERE k >= 0 GROUP BY k' }));
      figures.push(
        summaryFigure({
          name: 'aggregate GROUP BY k through the plain plan (every row through the virtual table), same run',
          unit: 'ms',
          better: 'lower',
          statistic: 'single run',
          samples: [plain],
          note: 'what the grouped scan replaced: WHERE k >= 0 keeps every row and takes the plain plan',
        }),
      );
      figures.push(
        summaryFigure({
          name: 'main event loop, longest delay while the aggregate runs in the query worker',
          unit: 'ms',
          better: 'lower',
          statistic: 'single run',
          samples: [loopDelay.max / 1e6],
          note: 'perf_hooks.monitorEventLoopDelay (5 ms resolution) over the 5 aggregate runs (ours only)',
        }),
      );

      // Cancel: sql.cancel while the query runs, until its sql.run answers. A run that ended before the
      // cancel reached it is not a sample: it is tried again, sooner.
      const cancelled = async (script: string, at: (i: number) => number, count: number, label: string): Promise<number[]> => {
        const out: number[] = [];
        let early = 0;
        for (let i = 0; out.length < count; i++) {
          const runId = `bench-cancel-${label}-${i}`;
          const running = client.sql.run({ script, runId });
          await delay(at(out.length) / 2 ** early);
          const t = nowNs();
          await client.sql.cancel({ runId });
          const r = await running;
          if (r.error?.code === 'CANCELLED') {
            out.push(ms(nowNs() - t));
            early = 0;
          } else if (r.error) throw new Error(`cancel: expected CANCELLED, got ${JSON.stringify(r.error)}`);
          else if (++early > 6) throw new Error(`cancel: ${label} ended before every cancel`);
        }
        return out;
      };
      const aggregateMs = median(aggregate);
      const cancel = await cancelled(AGGREGATE, (i) => ((i + 1) / 6) * Math.min(aggregateMs, 1500), 5, 'grouped');
      figures.push(
        summaryFigure({
          name: 'cancel of the running aggregate until sql.run answers',
          unit: 'ms',
          better: 'lower',
          statistic: 'max',
          samples: cancel,
          reference: { budget: 200 },
          target: 1,
          note: 'the worst of 5 cancels, at 1/6 … 5/6 of the aggregate’s median time: sql.cancel sent → sql.run answered CANCELLED',
        }),
      );
      const plainCancel = await cancelled('SELECT k, count(*), sum(x) FROM bench.big WHERE k >= 0 GROUP BY k', (i) => ((i + 1) / 4) * plain, 3, 'plain');
      figures.push(
        summaryFigure({
          name: 'cancel of the same aggregate through the plain plan until sql.run answers',
          unit: 'ms',
          better: 'lower',
          statistic: 'max',
          samples: plainCancel,
          reference: { budget: 200 },
          note: 'info: at 1/4, 2/4, 3/4 of the plain run; SQLite sorts the rows with no check of the flag (better-sqlite3 13.2 has no interrupt), so a cancel in that phase waits for the sort',
        }),
      );

      collectGarbage();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      let rows = 0;
      const first = await client.sql.run({ script: 'SELECT * FROM bench.big', pageSize: 1000 });
      let next = (first.outcomes[0] as Extract<SqlOutcome, { kind: 'rows' }>).page.next;
      while (next !== undefined) {
        const page = await client.sql.page({ cursor: next, pageSize: 1000 });
        rows += page.rows.length;
        next = page.next;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      const growth = (peak - rss0) / 1024 / 1024;
      figures.push(
        summaryFigure({
          name: `RSS growth streaming ${rows + 1000} rows`,
          unit: 'MB',
          better: 'lower',
          statistic: 'single run',
          samples: [round(growth, 1)],
          reference: { budget: 200 },
          target: 1,
          note: 'peak RSS over the start while the whole result is paged through, 1,000 rows a page',
        }),
      );
    } finally {
      services.close();
    }
    return figures;
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
