/**
 * The SQL console's engine against plain SQLite: random tables and rows, some flushed to Parquet
 * and some hot, updated and deleted after the flush; random SELECTs (filters on the key that are
 * pushed down and others, joins, aggregates with GROUP BY/HAVING, windows, subqueries, ORDER BY,
 * LIMIT) must return what SQLite returns over the same visible rows loaded into plain tables. Run
 * per subject too: as a user, the result equals the plain query over that user's rows only. Each
 * query also runs in the query worker (its own connection to the same file), with the same result.
 * Here (not in src/main/engine/sql) because the baseline is raw SQLite. KALAM_SQL_RUNS sets the
 * number of random databases (each runs every query template, a few times over).
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitScript } from '../../../../shared/sql/sql-lexer';
import { type Subject, SYSTEM_SUBJECT } from '../../access/subject';
import { runFlush } from '../../flush/flush-job';
import { testJobContext } from '../../flush/testing/flush.test-support';
import { useTestEngine } from '../../flush/testing/test-engine.test-support';
import { dataDirLayout } from '../../engine';
import { QueryHost } from '../../sql/query-host';
import { SqlQueries, toCell } from '../../sql/sql-queries';
import { addUsers, as, tid } from '../../tables/testing.test-support';

const RUNS = Number(process.env['KALAM_SQL_RUNS'] ?? 25);
const USERS = ['alice', 'bob'];

interface ARow {
  id: number;
  k: number;
  x: number | null;
  s: string;
}
interface BRow {
  user: number;
  id: number;
  a_id: number;
  v: number;
}

const aRow = fc.record({
  id: fc.integer({ min: -3, max: 30 }),
  k: fc.integer({ min: 0, max: 3 }),
  // Halves: sums are exact whatever the order the rows are added in.
  x: fc.option(fc.integer({ min: -20, max: 20 }).map((n) => n / 2)),
  // Beyond ASCII too: min and max of a grouped scan compare texts as SQLite does (UTF-8 bytes).
  s: fc.constantFrom('a', 'ab', 'b', 'ba', 'Z', '', 'é', '\u{1f600}', '\ufffd'),
});
const bRow = fc.record({ user: fc.nat(1), id: fc.integer({ min: 0, max: 12 }), a_id: fc.integer({ min: -3, max: 30 }), v: fc.integer({ min: -5, max: 50 }) });

const change = fc.oneof(
  fc.record({ kind: fc.constant('update-a' as const), id: fc.integer({ min: -3, max: 30 }), x: fc.option(fc.integer({ min: -9, max: 9 })) }),
  fc.record({ kind: fc.constant('delete-a' as const), id: fc.integer({ min: -3, max: 30 }) }),
  fc.record({ kind: fc.constant('delete-b' as const), user: fc.nat(1), id: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('insert-a' as const), row: aRow }),
);

const n = fc.integer({ min: -4, max: 32 });
/** Predicates over table a (alias-free and aliased forms). */
const predicate = fc.oneof(
  n.map((v) => `id = ${v}`),
  n.map((v) => `${v} = id`),
  fc.tuple(n, n).map(([a, b]) => `id BETWEEN ${Math.min(a, b)} AND ${Math.max(a, b)}`),
  n.map((v) => `id >= ${v}`),
  n.map((v) => `id < ${v}`),
  fc.tuple(n, fc.integer({ min: 0, max: 3 })).map(([v, k]) => `id > ${v} AND k <> ${k}`),
  fc.tuple(n, n).map(([a, b]) => `id = ${a} OR id = ${b}`),
  fc.integer({ min: 0, max: 3 }).map((k) => `k = ${k}`),
  fc.constant('x IS NULL'),
  fc.constantFrom('a', 'b', 'Z').map((p) => `s LIKE '${p}%'`),
  fc.tuple(n, n).map(([a, b]) => `id >= ${a} AND id <= ${b} AND x IS NOT NULL`),
);

/** Queries over a (shared) and b (user); `A` and `B` are replaced by the table names. */
const query = fc.oneof(
  predicate.map((p) => `SELECT id, k, x, s FROM A WHERE ${p} ORDER BY id`),
  fc
    .tuple(predicate, fc.nat(3))
    .map(([p, h]) => `SELECT k, count(*) AS c, sum(x), min(s), max(id) FROM A WHERE ${p} GROUP BY k HAVING count(*) > ${h} ORDER BY k`),
  predicate.map((p) => `SELECT a.id, b._user, b.id, b.v FROM A a JOIN B b ON b.a_id = a.id WHERE ${p.replaceAll(/\b(id|k|x|s)\b/g, 'a.$1')} ORDER BY 1, 2, 3`),
  fc.constant(
    'SELECT id, _user, v, sum(v) OVER (PARTITION BY _user ORDER BY id) AS running, rank() OVER (ORDER BY v DESC, _user, id) AS r FROM B ORDER BY _user, id',
  ),
  fc.constant('SELECT id FROM A WHERE id IN (SELECT a_id FROM B) ORDER BY id'),
  fc.constant('SELECT _user, count(*), sum(v), avg(v) FROM B GROUP BY _user ORDER BY _user'),
  fc.constant('WITH big AS (SELECT id, x FROM A WHERE x > 0) SELECT count(*), total(x) FROM big'),
  fc.tuple(fc.nat(5), fc.nat(5)).map(([l, o]) => `SELECT id, s FROM A ORDER BY s, id LIMIT ${l} OFFSET ${o}`),
  n.map((v) => `SELECT b.id, (SELECT count(*) FROM A WHERE A.k = b.v % 4) AS same_k FROM B b WHERE b.id >= ${v} ORDER BY b._user, b.id`),
  fc.constant('SELECT a.k, count(b.id) FROM A a LEFT JOIN B b ON b.a_id = a.id GROUP BY a.k ORDER BY a.k'),
  // Shapes a grouped scan answers (GROUPED below): the groups are computed inside the scan.
  fc.constant('SELECT k, count(*), sum(x), total(x), avg(x), count(x), min(x), max(x), min(s), max(s), min(id), max(id) FROM A GROUP BY k'),
  fc.constant('SELECT count(*), sum(x), avg(x), min(s), max(s), max(id) FROM A'),
  fc.nat(3).map((h) => `SELECT s, k, count(*) AS c, sum(x) * 2 FROM A a GROUP BY a.s, k HAVING count(*) > ${h} ORDER BY c DESC, s, k LIMIT 4`),
  fc.constant('SELECT k FROM A GROUP BY k ORDER BY k DESC'),
  fc.constant('SELECT _user, count(*), sum(v), avg(v), min(a_id), max(id) FROM B GROUP BY _user'),
  fc.constant('SELECT count(*), total(v), max(a_id) FROM B'),
  // Primary-key point lookups (POINT below): one read of the key, without SQLite.
  n.map((v) => `SELECT id, k, x, s FROM A WHERE id = ${v}`),
  n.map((v) => `SELECT s AS label, x, a.id, k FROM A AS a WHERE ${v} = a.id`),
  fc.integer({ min: -1, max: 13 }).map((v) => `SELECT _user, id, a_id, v FROM B WHERE id = ${v}`),
  fc.integer({ min: -1, max: 13 }).map((v) => `SELECT b.v AS value, b.id FROM B b WHERE b.id == ${v}`),
  n.map((v) => `SELECT * FROM A WHERE id = ${v}`),
  fc.integer({ min: -1, max: 13 }).map((v) => `SELECT * FROM B WHERE id = ${v}`),
  // Not point lookups: a literal of another type than the key's, another conjunct.
  n.map((v) => `SELECT id, s FROM A WHERE id = ${v}.0`),
  n.map((v) => `SELECT id, s FROM A WHERE id = '${v}'`),
  n.map((v) => `SELECT id, s FROM A WHERE id = ${v} AND k >= 0`),
);

/** The templates above that a grouped scan must answer (the rest run the plain plan). */
const GROUPED = [
  /GROUP BY k$/,
  /^SELECT count\(\*\), sum\(x\)/,
  /GROUP BY a\.s, k/,
  /GROUP BY k ORDER BY k DESC/,
  /FROM B GROUP BY _user( ORDER BY _user)?$/,
  /^SELECT count\(\*\), total\(v\)/,
];

/** The templates above that a point lookup must answer: for B, only as a user (the admin reads every user's row with that key). */
const POINT = [/^SELECT id, k, x, s FROM A WHERE id = -?\d+$/, /^SELECT s AS label/, /^SELECT \* FROM A WHERE/];
const USER_POINT = [/^SELECT _user, id, a_id, v FROM B WHERE/, /^SELECT b\.v AS value/, /^SELECT \* FROM B WHERE/];

const env = useTestEngine('all');
let run = 0;

function baseline(a: Map<number, ARow>, b: Map<string, BRow>, user: number | undefined): Database.Database {
  const db = new Database(':memory:');
  // No declared types: the virtual tables have none either (no affinity on either side).
  db.exec('CREATE TABLE a (id, k, x, s); CREATE TABLE b (_user, id, a_id, v)');
  const ia = db.prepare('INSERT INTO a VALUES (?, ?, ?, ?)');
  for (const r of a.values()) ia.run(r.id, r.k, r.x, r.s);
  const ib = db.prepare('INSERT INTO b VALUES (?, ?, ?, ?)');
  // In key order (user, id), the order a scan without ORDER BY gives them in on both sides.
  const inKeyOrder = [...b.values()].sort((x, y) => x.user - y.user || x.id - y.id);
  for (const r of inKeyOrder) if (user === undefined || r.user === user) ib.run(`u_${USERS[r.user]}`, r.id, r.a_id, r.v);
  return db;
}

describe('SQL console engine = plain SQLite over the same rows', () => {
  it('random tables, flushed and hot, updated and deleted after the flush; random queries; as the admin and as each user', async () => {
    addUsers(env.engine, ...USERS.map((u) => `u_${u}`));
    const queries = new SqlQueries(env.engine);
    // The plain plan alone (no grouped scans, no point lookups): what those must equal, names and types included.
    const planOnly = new SqlQueries(env.engine, undefined, false, false);
    const host = new QueryHost({
      workerPath: join(import.meta.dirname, '../../sql/query-worker.ts'),
      execArgv: ['--import', 'tsx'],
      ...dataDirLayout(env.data.dir),
      generation: () => env.engine.data.epoch,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(aRow, { maxLength: 25 }),
        fc.array(bRow, { maxLength: 20 }),
        fc.array(change, { maxLength: 10 }),
        fc.array(query, { minLength: 4, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        async (aRows, bRows, changes, texts, flushB, flushAgain) => {
          const id = run++;
          const A = `app.a${id}`;
          const B = `app.b${id}`;
          env.engine.ddl.createTable(SYSTEM_SUBJECT, {
            namespace: 'app',
            name: `a${id}`,
            type: 'shared',
            access_level: 'public',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'k', type: 'integer', nullable: false },
              { name: 'x', type: 'double' },
              { name: 's', type: 'text', nullable: false },
            ],
          });
          env.engine.ddl.createTable(SYSTEM_SUBJECT, {
            namespace: 'app',
            name: `b${id}`,
            type: 'user',
            columns: [
              { name: 'id', type: 'integer', primary_key: true },
              { name: 'a_id', type: 'integer', nullable: false },
              { name: 'v', type: 'integer', nullable: false },
            ],
          });
          const a = env.engine.data.shared(tid(A));
          const b = env.engine.data.user(tid(B));
          const modelA = new Map<number, ARow>();
          const modelB = new Map<string, BRow>();
          const insertA = (r: ARow) => {
            if (modelA.has(r.id)) return;
            a.insertRow(SYSTEM_SUBJECT, r);
            modelA.set(r.id, r);
          };
          // The first half hot before the flush, the rest after it.
          const half = Math.floor(aRows.length / 2);
          aRows.slice(0, half).forEach(insertA);
          for (const r of bRows) {
            const key = `${r.user}/${r.id}`;
            if (modelB.has(key)) continue;
            b.insertRow(SYSTEM_SUBJECT, { id: r.id, a_id: r.a_id, v: r.v }, { user: `u_${USERS[r.user]}` as never });
            modelB.set(key, r);
          }
          await runFlush(env.engine, { table: A, rowGroupRows: 4 }, testJobContext());
          if (flushB) await runFlush(env.engine, { table: B, rowGroupRows: 3 }, testJobContext());
          // The flushed rows are read from Parquet from here on (the hot side no longer has them).
          expect(env.engine.cold.segments(a.schema).length > 0).toBe(modelA.size > 0);
          aRows.slice(half).forEach(insertA);
          // A second flush midway puts later versions and tombstones in a second segment of the same scope.
          const again = flushAgain ? Math.floor(changes.length / 2) : -1;
          for (const [i, c] of changes.entries()) {
            if (i === again) await runFlush(env.engine, { table: A, rowGroupRows: 4 }, testJobContext());
            if (c.kind === 'insert-a') insertA(c.row);
            else if (c.kind === 'update-a') {
              const row = modelA.get(c.id);
              if (!row) continue;
              a.updateRow(SYSTEM_SUBJECT, c.id, { x: c.x });
              row.x = c.x;
            } else if (c.kind === 'delete-a') {
              if (modelA.delete(c.id)) a.deleteRow(SYSTEM_SUBJECT, c.id);
            } else if (modelB.delete(`${c.user}/${c.id}`)) b.deleteRow(SYSTEM_SUBJECT, c.id, { user: `u_${USERS[c.user]}` as never });
          }
          const subjects: [Subject, number | undefined][] = [
            [SYSTEM_SUBJECT, undefined],
            [as('u_alice'), 0],
            [as('u_bob'), 1],
          ];
          for (const [subject, user] of subjects) {
            const plain = baseline(modelA, modelB, user);
            try {
              for (const template of texts) {
                const ours = template.replaceAll(/\bA\b/g, A).replaceAll(/\bB\b/g, B);
                const [statement] = splitScript(ours);
                const open = queries.open(statement!.tokens, ours, subject);
                const got = open.next(10_000, 10_000);
                expect(got.done).toBe(true);
                expect(open.grouped, `${ours}: answered by a grouped scan`).toBe(GROUPED.some((g) => g.test(template)));
                const point = POINT.some((p) => p.test(template)) || (user !== undefined && USER_POINT.some((p) => p.test(template)));
                expect(open.point, `${ours} as ${subject.userId ?? 'admin'}: answered by a point lookup`).toBe(point);
                // The plain plan gives the same columns (names, types), key columns and cells.
                const reference = planOnly.open(statement!.tokens, ours, subject);
                expect([open.columns, open.keyColumns, got.rows], ours).toEqual([reference.columns, reference.keyColumns, reference.next(10_000, 10_000).rows]);
                expect(reference.point || reference.grouped).toBe(false);
                // SELECT * shows _seq, which the plain tables do not have: those are checked against the plain plan only.
                const cells = template.startsWith('SELECT *')
                  ? got.rows
                  : (plain.prepare(template.replaceAll(/\bA\b/g, 'a').replaceAll(/\bB\b/g, 'b')).raw(true).all() as unknown[][]).map((r) =>
                      r.map((v) => toCell(v as never)),
                    );
                expect(got.rows, `${ours} as ${subject.userId ?? 'admin'}`).toEqual(cells);
                const inWorker = await host.open({ tokens: statement!.tokens, script: ours, subject, explain: false, limit: 10_000, timeoutMs: 10_000 });
                expect(inWorker.first, `${ours} as ${subject.userId ?? 'admin'}, in the query worker`).toEqual({ rows: cells, done: true });
              }
            } finally {
              plain.close();
            }
          }
        },
      ),
      { numRuns: RUNS },
    );
    await host.close();
    queries.close();
    planOnly.close();
  }, 600_000);
});
