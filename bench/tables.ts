/**
 * Tables suite: data tables (UserTableStore over the engine) against raw better-sqlite3.
 *
 *  1. Bulk insert: 1,000,000 rows into a user table, 1,000 users × 1,000 rows, users in random
 *     order, one transaction per user's chunk. Ours: UserTableStore.insertRows for a user subject
 *     (zod validation against the table's columns, `_seq` stamping, key encoding, insert-if-absent
 *     so a duplicate key is refused, change-feed hook). Raw: the same rows, pre-encoded keys, the
 *     same value bytes (envelope + JSON with `_seq`/`_deleted`), a prepared INSERT in BEGIN
 *     IMMEDIATE / COMMIT per chunk. The two sides run in lockstep, chunk by chunk, each into its
 *     own file, so a load spike from another process is billed to both.
 *  2. One-user scan: the 1,000 rows of a random user, out of a 100k-row and a 1M-row table.
 *     Ours: UserTableStore.scanRows for that user (access check, prefix range, decode, tombstone
 *     filter, typed keys). Raw: SELECT k, v over [prefix, prefixEnd) in chunks read with all(), as
 *     our backend reads (rangeScan), + JSON.parse + the same tombstone check, on a second
 *     connection to the same file.
 *     The latency must not grow with the table size: the last figure is ours at 1M / ours at 100k.
 *
 * Fairness: the raw connection uses SqliteBackend's pragmas (checked), each insert side writes its
 * own file, and both files must hold byte-identical rows afterwards (checked).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subject } from '../src/main/engine/access/subject';
import { SYSTEM_SUBJECT } from '../src/main/engine/access/subject';
import { Engine } from '../src/main/engine/engine';
import { partitionTable } from '../src/main/engine/storage/sqlite/sqlite-names';
import { dataPartition } from '../src/main/engine/tables/table-schema';
import type { UserTableStore } from '../src/main/engine/tables/user/user-table-store';
import type { CreateTableInput } from '../src/shared/ddl';
import { rowId } from '../src/shared/keys/row-id';
import { type TableId, TableIdKey } from '../src/shared/keys/table-id';
import { concatBytes, prefixEnd } from '../src/shared/keys/tuple';
import { type UserId, UserIdSchema } from '../src/shared/keys/user-id';
import { userRowsPrefix } from '../src/shared/keys/user-row-id';
import { type Figure, pairedFigure, summaryFigure } from './lib/figures';
import { assertSamePragmas, connectionOf, openRaw, RAW_SCAN_CHUNK, rangeScan } from './lib/raw-sqlite';
import { median } from './lib/stats';
import type { BenchContext } from './lib/suite';
import { collectGarbage, comparePair, formatDuration, nowNs, type PairSamples, prng, shuffle } from './lib/timing';

const INSERT_TARGET = 1.3;
const SCAN_TARGET = 1.3;
/** "Must not grow with the table size": 10× the rows may cost at most this much more per scan. */
const GROWTH_TARGET = 1.25;

interface Sizes {
  users: number;
  rowsPerUser: number;
  /** Users of the smaller table for the growth comparison (same rows per user). */
  smallUsers: number;
  scansPerRun: number;
  insertRuns: number;
  scanRuns: number;
}

const FULL: Sizes = { users: 1000, rowsPerUser: 1000, smallUsers: 100, scansPerRun: 200, insertRuns: 3, scanRuns: 8 };
const QUICK: Sizes = { users: 100, rowsPerUser: 1000, smallUsers: 10, scansPerRun: 50, insertRuns: 3, scanRuns: 6 };

// ---------------------------------------------------------------------------------------------
// The table: a to-do item of about 130 bytes of JSON.

function tableInput(name: string): CreateTableInput {
  return {
    namespace: 'bench',
    name,
    type: 'user',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'title', type: 'text', nullable: false },
      { name: 'done', type: 'boolean', nullable: false, default: false },
      { name: 'priority', type: 'integer', nullable: false },
      { name: 'created_at', type: 'timestamp', nullable: false },
      { name: 'note', type: 'text' },
    ],
  };
}

interface Todo {
  id: number;
  title: string;
  done: boolean;
  priority: number;
  created_at: number;
  note: string | null;
  _seq?: number;
  _deleted?: boolean;
}

/** The rows of one user, complete (so ours and raw store the same JSON, in column order). */
function todos(user: number, n: number): Todo[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    title: `Follow up on ticket ${user}-${i} with the supplier`,
    done: i % 3 === 0,
    priority: i % 5,
    created_at: 1_767_225_600_000 + user * 1000 + i,
    note: i % 4 === 0 ? 'check again on Monday' : null,
  }));
}

const userIdOf = (n: number): UserId => UserIdSchema.parse(`user${String(n).padStart(4, '0')}`);

// ---------------------------------------------------------------------------------------------
// The raw side.

/** Row envelope version 1: format byte 0x01, varint 1. */
const HEADER = Buffer.from([0x01, 0x01]);

function rawEncode(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const out = Buffer.allocUnsafe(HEADER.length + Buffer.byteLength(json));
  HEADER.copy(out, 0);
  out.write(json, HEADER.length, 'utf8');
  return out;
}

/** Keeps results alive so no loop can be optimised away. */
let sink = 0;

function consume(row: { _seq: number }): void {
  sink += row._seq & 1;
}

// ---------------------------------------------------------------------------------------------

function describe(r: PairSamples, unit: (x: number) => string): string {
  return `ours ${r.ours.map(unit).join(' / ')} · raw ${r.raw.map(unit).join(' / ')}`;
}

/** µs per scan, from a rate in scans/s. */
const perScanUs = (scansPerSecond: number) => 1e6 / scansPerSecond;

export function run(ctx: BenchContext): Figure[] {
  const N = ctx.quick ? QUICK : FULL;
  const scanPairs = ctx.pairs ?? N.scanRuns;
  const total = N.users * N.rowsPerUser;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-tables-'));
  const figures: Figure[] = [];
  const closers: (() => void)[] = [];
  const fmtRate = (x: number) => `${Math.round(x).toLocaleString('en-US')}/s`;
  const fmtUs = (x: number) => `${(1e6 / x).toFixed(0)}µs`;

  try {
    const oursPath = join(dir, 'ours.sqlite');
    const rawPath = join(dir, 'raw.sqlite');
    const engine = Engine.open({ databasePath: oursPath, storageDirectory: join(dir, 'storage') });
    closers.push(() => engine.close());
    engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'bench' });
    const rawDb = openRaw(rawPath);
    closers.push(() => rawDb.close());
    assertSamePragmas(connectionOf(engine.backend), rawDb);

    const ids = (name: string): TableId => TableIdKey.parse(`bench.${name}`);
    const subjects = Array.from({ length: N.users }, (_, u): Subject => ({ userId: userIdOf(u), role: 'user' }));
    /** Users in a random order per run: each chunk lands somewhere in the middle of the B-tree. */
    const userOrder = (run: number) =>
      shuffle(
        Array.from({ length: N.users }, (_, u) => u),
        prng(500 + run),
      );

    // ----- bulk insert -------------------------------------------------------------------------
    // Ours and raw insert in lockstep, one user's chunk each in turn (alternating who goes first),
    // each timing only its own chunk: load from other processes then hits both sides alike,
    // where whole-run alternation let a 10-second spike land on one side only.
    let rawSeq = 0;
    const insertRun = (name: string, users: number[]): { ours: number; raw: number } => {
      engine.ddl.createTable(SYSTEM_SUBJECT, tableInput(name));
      const store = engine.data.user(ids(name));
      const table = partitionTable(dataPartition(ids(name), 'user'));
      rawDb.exec(`CREATE TABLE ${table} (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`);
      const insert = rawDb.prepare<[Uint8Array, Uint8Array]>(`INSERT INTO ${table} (k, v) VALUES (?, ?)`);
      const begin = rawDb.prepare('BEGIN IMMEDIATE');
      const commit = rawDb.prepare('COMMIT');
      let oursNs = 0n;
      let rawNs = 0n;
      const oursChunk = (u: number) => {
        const chunk = todos(u, N.rowsPerUser);
        const t0 = nowNs();
        store.insertRows(subjects[u]!, chunk);
        oursNs += nowNs() - t0;
      };
      const rawChunk = (u: number) => {
        const chunk = todos(u, N.rowsPerUser);
        const prefix = userRowsPrefix(userIdOf(u));
        const keys = chunk.map((t) => Buffer.from(concatBytes(prefix, rowId(t.id))));
        const t0 = nowNs();
        begin.run();
        for (let i = 0; i < chunk.length; i++) {
          const v = chunk[i]!;
          v._seq = ++rawSeq;
          v._deleted = false;
          insert.run(keys[i]!, rawEncode(v));
        }
        commit.run();
        rawNs += nowNs() - t0;
      };
      collectGarbage();
      users.forEach((u, i) => {
        if (i % 2 === 0) {
          oursChunk(u);
          rawChunk(u);
        } else {
          rawChunk(u);
          oursChunk(u);
        }
      });
      const rows = users.length * N.rowsPerUser;
      return { ours: rows / (Number(oursNs) / 1e9), raw: rows / (Number(rawNs) / 1e9) };
    };

    {
      // Warm-up: a few users on both sides (it also moves both sequences on by the same amount).
      insertRun('warmup', userOrder(-1).slice(0, Math.max(20, N.users / 50)));
      const t0 = performance.now();
      const runs = Array.from({ length: N.insertRuns }, (_, run) => insertRun(`events_${run}`, userOrder(run)));
      const r: PairSamples = { ours: runs.map((x) => x.ours), raw: runs.map((x) => x.raw) };
      ctx.log(`insert ${total.toLocaleString('en-US')} rows: ${describe(r, fmtRate)} (${formatDuration(performance.now() - t0)})`);
      figures.push(
        pairedFigure({
          name: `insert ${total.toLocaleString('en-US')} rows into a user table (${N.users} users)`,
          unit: 'rows/s',
          better: 'higher',
          ours: r.ours,
          baseline: r.raw,
          target: INSERT_TARGET,
          note: `${N.insertRuns} runs, each a pair: ${N.users} users × ${N.rowsPerUser} rows in random user order, one transaction per user, ours and raw in lockstep per user; ours UserTableStore.insertRows (validation, _seq, insert-if-absent); raw prepared INSERT of pre-encoded keys + the same value bytes`,
        }),
      );
    }

    // Both sides wrote the same bytes (same rows, same _seq numbering after the same warm-up).
    const last = `events_${N.insertRuns - 1}`;
    {
      const table = partitionTable(dataPartition(ids(last), 'user'));
      const sql = `SELECT k, v FROM ${table} ORDER BY k`;
      const a = connectionOf(engine.backend).prepare<[], [Buffer, Buffer]>(sql).raw(true).iterate();
      const b = rawDb.prepare<[], [Buffer, Buffer]>(sql).raw(true).iterate();
      let n = 0;
      for (;;) {
        const x = a.next();
        const y = b.next();
        if (x.done || y.done) {
          if (!x.done || !y.done) throw new Error('ours and raw hold different row counts');
          break;
        }
        // Each side ran warm-up, run 0, 1, 2 in that order, so even the _seq numbers agree.
        if (!x.value[0].equals(y.value[0]) || !x.value[1].equals(y.value[1])) throw new Error(`ours and raw wrote different rows (row ${n})`);
        n++;
      }
      if (n !== total) throw new Error(`expected ${total} rows, found ${n}`);
      ctx.log(`checked: both sides hold the same ${n.toLocaleString('en-US')} rows, byte for byte`);
    }
    for (let r = 0; r < N.insertRuns - 1; r++) {
      engine.ddl.dropTable(SYSTEM_SUBJECT, ids(`events_${r}`));
    }
    rawDb.close();

    // ----- one-user scans ------------------------------------------------------------------------
    {
      const t0 = performance.now();
      engine.ddl.createTable(SYSTEM_SUBJECT, tableInput('small'));
      const small = engine.data.user(ids('small'));
      for (let u = 0; u < N.smallUsers; u++) small.insertRows(subjects[u]!, todos(u, N.rowsPerUser));
      connectionOf(engine.backend).pragma('wal_checkpoint(TRUNCATE)');
      ctx.log(`built the ${(N.smallUsers * N.rowsPerUser).toLocaleString('en-US')}-row table in ${formatDuration(performance.now() - t0)}`);
    }
    const reader = openRaw(oursPath);
    closers.push(() => reader.close());
    assertSamePragmas(connectionOf(engine.backend), reader);

    const scanPair = (name: string, users: number): PairSamples => {
      const store: UserTableStore = engine.data.user(ids(name));
      const scan = rangeScan(reader, partitionTable(dataPartition(ids(name), 'user')));
      const sample = (seed: number) => {
        const random = prng(seed);
        return Array.from({ length: N.scansPerRun }, () => Math.floor(random() * users));
      };
      const oursRun = (seed: number) => {
        const picks = sample(seed);
        collectGarbage();
        const t0 = nowNs();
        let rows = 0;
        for (const u of picks) {
          for (const [key, row] of store.scanRows(subjects[u]!)) {
            consume(row);
            sink += key.user.length;
            rows++;
          }
        }
        const ns = Number(nowNs() - t0);
        if (rows !== picks.length * N.rowsPerUser) throw new Error(`ours scanned ${rows} rows`);
        return picks.length / (ns / 1e9);
      };
      const rawRun = (seed: number) => {
        const picks = sample(seed);
        const ranges = picks.map((u) => {
          // prefixEnd on a Uint8Array: on a Buffer its slice would be a view and bump the prefix too.
          const prefix = userRowsPrefix(userIdOf(u));
          return [Buffer.from(prefix), Buffer.from(prefixEnd(prefix)!)] as const;
        });
        collectGarbage();
        const t0 = nowNs();
        let rows = 0;
        for (const [lo, hi] of ranges) {
          scan(lo, hi, (k, v) => {
            const row = JSON.parse(v.toString('utf8', HEADER.length)) as { _seq: number; _deleted: boolean };
            if (row._deleted) return;
            consume(row);
            sink += k.length;
            rows++;
          });
        }
        const ns = Number(nowNs() - t0);
        if (rows !== picks.length * N.rowsPerUser) throw new Error(`raw scanned ${rows} rows`);
        return picks.length / (ns / 1e9);
      };
      // Warm-up touches every user once on both sides, so neither pays first page faults.
      for (let u = 0; u < users; u++) {
        for (const [, row] of store.scanRows(subjects[u]!)) consume(row);
      }
      oursRun(1);
      rawRun(2);
      return comparePair({ ours: (run) => oursRun(100 + run), raw: (run) => rawRun(200 + run) }, scanPairs);
    };

    const smallRows = N.smallUsers * N.rowsPerUser;
    const smallScan = scanPair('small', N.smallUsers);
    ctx.log(`scan at ${smallRows.toLocaleString('en-US')} rows: ${describe(smallScan, fmtUs)}`);
    const bigScan = scanPair(last, N.users);
    ctx.log(`scan at ${total.toLocaleString('en-US')} rows: ${describe(bigScan, fmtUs)}`);
    const scanNote = (rows: number) =>
      `µs per scan of one random user's ${N.rowsPerUser} rows in a ${rows.toLocaleString('en-US')}-row table, ${N.scansPerRun} scans per run, ${scanPairs} alternating pairs; ours scanRows(user subject) yielding [UserRowId, row]; raw range SELECT read with all() in chunks of ${RAW_SCAN_CHUNK} rows + JSON.parse`;
    const scanFigure = (rows: number, r: PairSamples) =>
      pairedFigure({
        name: `one-user scan, ${N.rowsPerUser} of ${rows.toLocaleString('en-US')} rows`,
        unit: 'µs',
        better: 'lower',
        ours: r.ours.map(perScanUs),
        baseline: r.raw.map(perScanUs),
        target: SCAN_TARGET,
        note: scanNote(rows),
      });
    figures.push(scanFigure(smallRows, smallScan), scanFigure(total, bigScan));
    {
      const rawGrowth = median(bigScan.raw.map(perScanUs)) / median(smallScan.raw.map(perScanUs));
      figures.push(
        summaryFigure({
          name: `one-user scan growth, ${smallRows.toLocaleString('en-US')} → ${total.toLocaleString('en-US')} rows (ours)`,
          unit: 'µs',
          better: 'lower',
          statistic: 'median',
          samples: bigScan.ours.map(perScanUs),
          reference: { statistic: 'median', samples: smallScan.ours.map(perScanUs) },
          target: GROWTH_TARGET,
          note: `value = ours at ${total.toLocaleString('en-US')} rows, baseline = ours at ${smallRows.toLocaleString('en-US')} rows (not paired: the two tables are scanned one after the other); raw grows ${rawGrowth.toFixed(3)}× over the same step`,
        }),
      );
    }
    ctx.log(`(sink ${sink})`);
    return figures;
  } finally {
    for (const close of closers.reverse()) {
      try {
        close();
      } catch {
        // already closed
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
