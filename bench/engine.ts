/**
 * Engine suite: our stores (EntityStore over SqliteBackend, validation included) against raw
 * better-sqlite3 prepared statements on the same SQLite settings, table layout and value bytes.
 *
 * Fairness rules:
 * - Same pragmas: the raw connection sets what SqliteBackend sets by default (checked at start).
 * - Same layout: raw reads and writes the very tables SqliteBackend creates ("p_<partition>",
 *   k BLOB PRIMARY KEY, v BLOB, WITHOUT ROWID), including the index partitions.
 * - Same bytes: raw writes the envelope [0x01][version][JSON.stringify] and reads with JSON.parse
 *   of the bytes after the header.
 * - Raw gets pre-encoded key bytes (and pre-encoded index keys of the new value); ours gets typed
 *   keys and encodes inside the timed loop: key encoding is part of our overhead.
 * - Raw does no validation; ours validates every write with the entity's zod schema, compiled once
 *   (ValueCodec; "validation included").
 * - Raw reads ranges with the API our backend uses, its best: all() on bounded chunks (rangeScan).
 * - Reads use two connections to one database file (ours, raw); writes use one file per side so
 *   neither side's WAL or page growth is billed to the other.
 */
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ValueCodec, type EntityKind } from '../src/main/engine/codec/value-codec';
import type { IndexDefinition } from '../src/main/engine/index/secondary-index';
import { SqliteBackend } from '../src/main/engine/storage/sqlite/sqlite-backend';
import { partitionTable } from '../src/main/engine/storage/sqlite/sqlite-names';
import { lowerCaseUsername } from '../src/main/engine/system/users/users-table';
import { EntityStore } from '../src/main/engine/store/entity-store';
import { concatBytes, encodeTuple } from '../src/shared/keys/tuple';
import { type UserId, UserIdKey, UserIdSchema } from '../src/shared/keys/user-id';
import { UserNameSchema } from '../src/shared/keys/user-name';
import { type Figure, pairedFigure } from './lib/figures';
import { assertSamePragmas, openRaw, RAW_SCAN_CHUNK, rangeScan } from './lib/raw-sqlite';
import type { BenchContext } from './lib/suite';
import { comparePair, formatDuration, opsPerSecond, type PairSamples, prng, shuffle } from './lib/timing';

const READ_TARGET = 1.15;
const WRITE_TARGET = 1.3;
/** Back-to-back pairs per figure (`--pairs` overrides): one pair's ratio swings by ±15% on a 2-core VM, so the median needs several. */
const PAIRS = 8;

// ---------------------------------------------------------------------------------------------
// The entity: a user record of about 190 bytes of JSON, validated by a realistic schema.

const ROLES = ['user', 'service', 'dba', 'system'] as const;
type Role = (typeof ROLES)[number];

const UserSchema = z.object({
  id: UserIdSchema,
  username: UserNameSchema,
  email: z.email(),
  role: z.enum(ROLES),
  created_at: z.number().int().nonnegative(),
  bio: z.string().max(1000),
});
type User = z.infer<typeof UserSchema>;

// Normalized as system.users is (login names lower-cased in plain code before validation).
const USER_KIND: EntityKind<User> = { kind: 'User', version: 1, schema: UserSchema, normalize: lowerCaseUsername };

const byEmail: IndexDefinition<User> = { name: 'email', unique: true, fields: ['email'], extract: (u) => [u.email] };
const byRole: IndexDefinition<User> = { name: 'role', unique: false, fields: ['role'], extract: (u) => [u.role] };

const BIO = 'Keeps the nightly import jobs running; prefers short queries.';

function userId(tag: string, n: number): UserId {
  return `${tag}${String(n).padStart(7, '0')}` as UserId;
}

function makeUser(id: UserId, n: number, emailTag: string, role: Role): User {
  return {
    id,
    username: `user_${id}` as User['username'],
    email: `${emailTag}.${id}@example.com`,
    role,
    created_at: 1_767_225_600_000 + n,
    bio: BIO,
  };
}

// ---------------------------------------------------------------------------------------------
// The raw side.

/** The envelope for version 1 is two bytes: format 0x01, varint 1. */
const HEADER = Buffer.from([0x01, 0x01]);
const HEADER_LEN = HEADER.length;

function rawEncode(value: unknown): Buffer {
  const json = JSON.stringify(value);
  const out = Buffer.allocUnsafe(HEADER_LEN + Buffer.byteLength(json));
  HEADER.copy(out, 0);
  out.write(json, HEADER_LEN, 'utf8');
  return out;
}

function rawDecode(bytes: Buffer): User {
  return JSON.parse(bytes.toString('utf8', HEADER_LEN)) as User;
}

const EMPTY = Buffer.alloc(0);

/** Pre-encoded key bytes for the raw side, copied into ordinary (pooled) Buffers. */
function keyBytes(id: UserId): Buffer {
  return Buffer.from(UserIdKey.encode(id));
}

function emailKey(email: string): Buffer {
  return Buffer.from(encodeTuple([email]));
}

function roleKey(role: string, pk: Uint8Array): Buffer {
  return Buffer.from(concatBytes(encodeTuple([role]), encodeTuple([pk])));
}

/** Statements of one entity partition (and optionally its two index partitions) on a raw connection. */
function rawStatements(db: Database.Database, partition: string) {
  const t = partitionTable(partition);
  const ie = partitionTable(`${partition}.idx.email`);
  const ir = partitionTable(`${partition}.idx.role`);
  const exists = (table: string) => db.prepare<[string], number>(`SELECT count(*) FROM sqlite_master WHERE name = ?`).pluck().get(table) === 1;
  const hasIndexes = exists(`p_${partition}.idx.email`) && exists(`p_${partition}.idx.role`);
  return {
    get: db.prepare<[Uint8Array], Buffer>(`SELECT v FROM ${t} WHERE k = ?`).pluck(),
    put: db.prepare<[Uint8Array, Uint8Array]>(`INSERT OR REPLACE INTO ${t} (k, v) VALUES (?, ?)`),
    scan: rangeScan(db, t),
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    idx: hasIndexes
      ? {
          getEmail: db.prepare<[Uint8Array], Buffer>(`SELECT v FROM ${ie} WHERE k = ?`).pluck(),
          putEmail: db.prepare<[Uint8Array, Uint8Array]>(`INSERT OR REPLACE INTO ${ie} (k, v) VALUES (?, ?)`),
          delEmail: db.prepare<[Uint8Array]>(`DELETE FROM ${ie} WHERE k = ?`),
          putRole: db.prepare<[Uint8Array, Uint8Array]>(`INSERT OR REPLACE INTO ${ir} (k, v) VALUES (?, ?)`),
          delRole: db.prepare<[Uint8Array]>(`DELETE FROM ${ir} WHERE k = ?`),
        }
      : undefined,
  };
}
type RawStatements = ReturnType<typeof rawStatements>;

/** One indexed put by hand, in its own BEGIN IMMEDIATE / COMMIT: what EntityStore.put does with two indexes. */
function rawIndexedPut(s: RawStatements, pk: Buffer, value: User, newEmailKey: Buffer, newRoleKey: Buffer): void {
  const idx = s.idx!;
  s.begin.run();
  try {
    const oldBytes = s.get.get(pk);
    const old = oldBytes === undefined ? undefined : rawDecode(oldBytes);
    if (old === undefined || old.email !== value.email) {
      const owner = idx.getEmail.get(newEmailKey);
      if (owner !== undefined && !owner.equals(pk)) throw new Error(`email ${value.email} is taken`);
      if (old !== undefined) idx.delEmail.run(emailKey(old.email));
      idx.putEmail.run(newEmailKey, pk);
    }
    if (old === undefined || old.role !== value.role) {
      if (old !== undefined) idx.delRole.run(roleKey(old.role, pk));
      idx.putRole.run(newRoleKey, EMPTY);
    }
    s.put.run(pk, rawEncode(value));
    s.commit.run();
  } catch (e) {
    if (s.begin.database.inTransaction) s.rollback.run();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------

/** Keeps results alive so no loop can be optimised away. */
let sink = 0;

function consume(u: User | undefined): void {
  if (u === undefined) throw new Error('expected a value');
  sink += u.created_at & 1;
}

interface Sizes {
  entities: number;
  gets: number;
  lookups: number;
  scanRows: number;
  singlePuts: number;
  batch: number;
  updatePool: number;
}

// Single puts: 20k per run rather than 5k, so WAL checkpoints and scheduling hiccups average out
// (a 5k run lasts only ~0.2 s and its ratio swung by ±20% between identical runs on a busy machine).
const FULL: Sizes = { entities: 1_000_000, gets: 100_000, lookups: 50_000, scanRows: 100_000, singlePuts: 20_000, batch: 100_000, updatePool: 40_000 };
const QUICK: Sizes = { entities: 50_000, gets: 10_000, lookups: 5_000, scanRows: 10_000, singlePuts: 300, batch: 10_000, updatePool: 2_000 };

function describe(r: PairSamples): string {
  const f = (xs: readonly number[]) => xs.map((x) => Math.round(x).toLocaleString('en-US')).join(' / ');
  return `ours ${f(r.ours)} · raw ${f(r.raw)}`;
}

export function run(ctx: BenchContext): Figure[] {
  const N = ctx.quick ? QUICK : FULL;
  const pairs = ctx.pairs ?? PAIRS;
  const dir = mkdtempSync(join(tmpdir(), 'kalam-bench-'));
  const figures: Figure[] = [];
  const closers: (() => void)[] = [];
  const record = (name: string, r: PairSamples, target: number, note: string) => {
    ctx.log(`${name}: ${describe(r)} ops/s`);
    figures.push(
      pairedFigure({ name, unit: 'ops/s', better: 'higher', ours: r.ours, baseline: r.raw, target, note: `${note}; ${r.ours.length} alternating pairs` }),
    );
  };

  try {
    // ----- The read database: N.entities users + their unique email index, built once. --------
    let t0 = performance.now();
    const readPath = join(dir, 'read.db');
    const openUsers = (backend: SqliteBackend) =>
      new EntityStore<UserId, User>({ backend, partition: 'users', key: UserIdKey, value: new ValueCodec(USER_KIND), indexes: [byEmail] });
    {
      // Built with raw statements in one transaction, in key order (emails sort like ids, so the
      // index is appended in order too). The bytes are exactly what ours writes: the partitions are
      // made by EntityStore and the values encoded by its codec.
      const builder = new SqliteBackend(readPath);
      const codec = openUsers(builder).valueCodec;
      const put = builder.db.prepare<[Uint8Array, Uint8Array]>(`INSERT INTO ${partitionTable('users')} (k, v) VALUES (?, ?)`);
      const putEmail = builder.db.prepare<[Uint8Array, Uint8Array]>(`INSERT INTO ${partitionTable('users.idx.email')} (k, v) VALUES (?, ?)`);
      builder.transaction(() => {
        for (let n = 0; n < N.entities; n++) {
          const id = userId('u', n);
          const user = makeUser(id, n, 'user', ROLES[n % ROLES.length]!);
          const pk = keyBytes(id);
          put.run(pk, codec.encode(user));
          putEmail.run(emailKey(user.email), pk);
        }
      });
      builder.db.pragma('wal_checkpoint(TRUNCATE)');
      builder.close();
    }
    // Both sides get a fresh connection, so neither starts with the builder's page cache.
    const readBackend = new SqliteBackend(readPath);
    closers.push(() => readBackend.close());
    const users = openUsers(readBackend);
    const rawRead = openRaw(readPath);
    closers.push(() => rawRead.close());
    assertSamePragmas(readBackend.db, rawRead);
    const rr = rawStatements(rawRead, 'users');
    const rawEmailPk = rawRead.prepare<[Uint8Array], Buffer>(`SELECT v FROM ${partitionTable('users.idx.email')} WHERE k = ?`).pluck();
    {
      // Both sides must see the same data.
      const id = userId('u', Math.floor(N.entities / 3));
      const a = users.get(id);
      const b = rawDecode(rr.get.get(keyBytes(id))!);
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error('ours and raw disagree on the read database');
      if (users.getBy('email', [b.email])?.[0] !== id) throw new Error('email index lookup failed');
    }
    ctx.log(`built read database: ${N.entities.toLocaleString('en-US')} users + email index in ${formatDuration(performance.now() - t0)}`);

    // ----- point get ---------------------------------------------------------------------------
    {
      const sample = (seed: number, n: number) => {
        const random = prng(seed);
        return Array.from({ length: n }, () => userId('u', Math.floor(random() * N.entities)));
      };
      const oursRun = (ids: UserId[]) =>
        opsPerSecond(ids.length, () => {
          for (const id of ids) consume(users.get(id));
        });
      const rawRun = (keys: Buffer[]) =>
        opsPerSecond(keys.length, () => {
          for (const k of keys) consume(rawDecode(rr.get.get(k)!));
        });
      oursRun(sample(1, N.gets / 5));
      rawRun(sample(2, N.gets / 5).map(keyBytes));
      const r = comparePair(
        {
          ours: (run) => oursRun(sample(100 + run, N.gets)),
          raw: (run) => rawRun(sample(200 + run, N.gets).map(keyBytes)),
        },
        pairs,
      );
      record(
        'get (random key, 1M entities)',
        r,
        READ_TARGET,
        `${N.gets} random gets over ${N.entities} entities; ours store.get(UserId) incl. key encode + decode; raw stmt.get(bytes) + JSON.parse`,
      );
    }

    // ----- index lookup --------------------------------------------------------------------------
    {
      const sample = (seed: number, n: number) => {
        const random = prng(seed);
        return Array.from({ length: n }, () => `user.${userId('u', Math.floor(random() * N.entities))}@example.com`);
      };
      const oursRun = (emails: string[]) =>
        opsPerSecond(emails.length, () => {
          for (const e of emails) consume(users.getBy('email', [e])?.[1]);
        });
      const rawRun = (keys: Buffer[]) =>
        opsPerSecond(keys.length, () => {
          for (const k of keys) consume(rawDecode(rr.get.get(rawEmailPk.get(k)!)!));
        });
      oursRun(sample(3, N.lookups / 5));
      rawRun(sample(4, N.lookups / 5).map(emailKey));
      const r = comparePair(
        {
          ours: (run) => oursRun(sample(300 + run, N.lookups)),
          raw: (run) => rawRun(sample(400 + run, N.lookups).map(emailKey)),
        },
        pairs,
      );
      record(
        'getBy unique index (1M entities)',
        r,
        READ_TARGET,
        `${N.lookups} random lookups; ours store.getBy('email', [email]) -> [UserId, User]; raw SELECT pk FROM index, SELECT v FROM users + JSON.parse`,
      );
    }

    // ----- range scan ----------------------------------------------------------------------------
    {
      const lo = Math.floor(N.entities * 0.3);
      const hi = lo + N.scanRows;
      const from = userId('u', lo);
      const before = userId('u', hi);
      const fromBytes = keyBytes(from);
      const beforeBytes = keyBytes(before);
      const oursRun = () =>
        opsPerSecond(N.scanRows, () => {
          let n = 0;
          for (const [k, v] of users.scan({ from, before })) {
            consume(v);
            sink += k.length;
            n++;
          }
          return n;
        });
      const rawRun = () =>
        opsPerSecond(N.scanRows, () => {
          let n = 0;
          rr.scan(fromBytes, beforeBytes, (k, v) => {
            consume(rawDecode(v));
            sink += k.length;
            n++;
          });
          return n;
        });
      oursRun();
      rawRun();
      const r = comparePair({ ours: oursRun, raw: rawRun }, pairs);
      record(
        'scan 100k rows + decode',
        r,
        READ_TARGET,
        `${N.scanRows} contiguous rows; ours store.scan({from, before}) yielding [UserId, User]; raw stmt.raw().all() on ranges of ${RAW_SCAN_CHUNK} rows + JSON.parse; ops = rows`,
      );
    }

    users.backend.close();
    rawRead.close();
    closers.length = 0;
    rmSync(readPath, { force: true });
    rmSync(`${readPath}-wal`, { force: true });
    rmSync(`${readPath}-shm`, { force: true });

    // ----- The write databases: one file per side, tables created by our code. ---------------
    t0 = performance.now();
    const openStores = (backend: SqliteBackend) => ({
      plain: new EntityStore<UserId, User>({ backend, partition: 'plain', key: UserIdKey, value: new ValueCodec(USER_KIND) }),
      bulk: new EntityStore<UserId, User>({ backend, partition: 'bulk', key: UserIdKey, value: new ValueCodec(USER_KIND) }),
      indexed: new EntityStore<UserId, User>({
        backend,
        partition: 'users',
        key: UserIdKey,
        value: new ValueCodec(USER_KIND),
        indexes: [byEmail, byRole],
      }),
    });
    const pool = Array.from({ length: N.updatePool }, (_, n) => userId('x', n));
    const oursPath = join(dir, 'write-ours.db');
    const rawPath = join(dir, 'write-raw.db');
    for (const path of [oursPath, rawPath]) {
      // Both files start identical: the update pool is written by our store.
      const b = new SqliteBackend(path);
      openStores(b).indexed.putMany(pool.map((id, n) => [id, makeUser(id, n, 'pool', ROLES[n % ROLES.length]!)] as const));
      b.db.pragma('wal_checkpoint(TRUNCATE)');
      b.close();
    }
    const oursBackend = new SqliteBackend(oursPath);
    closers.push(() => oursBackend.close());
    const ours = openStores(oursBackend);
    const rawDb = openRaw(rawPath);
    closers.push(() => rawDb.close());
    assertSamePragmas(oursBackend.db, rawDb);
    const raw = { plain: rawStatements(rawDb, 'plain'), bulk: rawStatements(rawDb, 'bulk'), indexed: rawStatements(rawDb, 'users') };
    ctx.log(`write databases ready (${N.updatePool} indexed users each) in ${formatDuration(performance.now() - t0)}`);

    /** Fresh entities for one run of one workload (run -1 is the warm-up). */
    const fresh = (tag: string, run: number, n: number, order: 'ascending' | 'random') => {
      const ids = Array.from({ length: n }, (_, i) => userId(`${tag}${run + 1}-`, i));
      if (order === 'random') shuffle(ids, prng(1000 + run));
      return ids.map((id, i) => makeUser(id, i, tag, ROLES[i % ROLES.length]!));
    };

    // ----- single put, own transaction, no index -----------------------------------------------
    {
      const oursRun = (run: number, n: number) => {
        const values = fresh('s', run, n, 'ascending');
        return opsPerSecond(n, () => {
          for (const u of values) ours.plain.put(u.id, u);
        });
      };
      const rawRun = (run: number, n: number) => {
        const values = fresh('s', run, n, 'ascending');
        const keys = values.map((u) => keyBytes(u.id));
        return opsPerSecond(n, () => {
          for (let i = 0; i < n; i++) raw.plain.put.run(keys[i]!, rawEncode(values[i]));
        });
      };
      oursRun(-1, N.singlePuts / 5);
      rawRun(-1, N.singlePuts / 5);
      const r = comparePair({ ours: (run) => oursRun(run, N.singlePuts), raw: (run) => rawRun(run, N.singlePuts) }, pairs);
      record(
        'put (own transaction, no index)',
        r,
        WRITE_TARGET,
        `${N.singlePuts} inserts of new keys; both autocommit INSERT OR REPLACE (what store.put does without indexes); ours incl. zod validation`,
      );
    }

    // ----- single put with two secondary indexes, own transaction ------------------------------
    {
      const rawInputs = (values: User[]) =>
        values.map((u) => {
          const pk = keyBytes(u.id);
          return { pk, u, email: emailKey(u.email), role: roleKey(u.role, pk) };
        });
      const oursInsert = (run: number, n: number) => {
        const values = fresh('i', run, n, 'ascending');
        return opsPerSecond(n, () => {
          for (const u of values) ours.indexed.put(u.id, u);
        });
      };
      const rawInsert = (run: number, n: number) => {
        const inputs = rawInputs(fresh('i', run, n, 'ascending'));
        return opsPerSecond(n, () => {
          for (const x of inputs) rawIndexedPut(raw.indexed, x.pk, x.u, x.email, x.role);
        });
      };
      oursInsert(-1, N.singlePuts / 5);
      rawInsert(-1, N.singlePuts / 5);
      let r = comparePair({ ours: (run) => oursInsert(run, N.singlePuts), raw: (run) => rawInsert(run, N.singlePuts) }, pairs);
      record(
        'put + 2 indexes (own transaction, insert)',
        r,
        WRITE_TARGET,
        `${N.singlePuts} new users; BEGIN IMMEDIATE, get old (none), unique check, 2 index inserts, entity insert, COMMIT`,
      );

      // Updates of existing users that change both indexed fields: the full maintenance path.
      const order = shuffle([...pool.keys()], prng(7));
      const updates = (run: number, n: number) => order.slice(0, n).map((n) => makeUser(pool[n]!, n, `upd${run + 1}`, ROLES[(n + run + 2) % ROLES.length]!));
      const oursUpdate = (run: number, n: number) => {
        const values = updates(run, n);
        return opsPerSecond(n, () => {
          for (const u of values) ours.indexed.put(u.id, u);
        });
      };
      const rawUpdate = (run: number, n: number) => {
        const inputs = rawInputs(updates(run, n));
        return opsPerSecond(n, () => {
          for (const x of inputs) rawIndexedPut(raw.indexed, x.pk, x.u, x.email, x.role);
        });
      };
      oursUpdate(-1, N.singlePuts / 5);
      rawUpdate(-1, N.singlePuts / 5);
      r = comparePair({ ours: (run) => oursUpdate(run, N.singlePuts), raw: (run) => rawUpdate(run, N.singlePuts) }, pairs);
      record(
        'put + 2 indexes (own transaction, update)',
        r,
        WRITE_TARGET,
        `${N.singlePuts} updates changing email and role; as insert plus JSON.parse of the old value and 2 index deletes`,
      );
    }

    // ----- 100k puts in one transaction ----------------------------------------------------------
    {
      const oursRun = (run: number, n: number) => {
        const values = fresh('b', run, n, 'random');
        const entries = values.map((u) => [u.id, u] as const);
        return opsPerSecond(n, () => ours.bulk.putMany(entries));
      };
      const rawRun = (run: number, n: number) => {
        const values = fresh('b', run, n, 'random');
        const keys = values.map((u) => keyBytes(u.id));
        const s = raw.bulk;
        return opsPerSecond(n, () => {
          s.begin.run();
          try {
            for (let i = 0; i < n; i++) s.put.run(keys[i]!, rawEncode(values[i]));
            s.commit.run();
          } catch (e) {
            if (rawDb.inTransaction) s.rollback.run();
            throw e;
          }
        });
      };
      // Full-size warm-ups: after a tenth-size one the first timed run of each side was still the slowest.
      oursRun(-1, N.batch);
      rawRun(-1, N.batch);
      const r = comparePair({ ours: (run) => oursRun(run, N.batch), raw: (run) => rawRun(run, N.batch) }, pairs);
      record(
        'putMany 100k (one transaction)',
        r,
        WRITE_TARGET,
        `${N.batch} new keys in random order, no index; ours store.putMany (validates each value with the compiled schema); raw BEGIN IMMEDIATE + INSERT OR REPLACE loop + COMMIT`,
      );
    }

    {
      // Both write databases must hold the same bytes after the same workloads.
      for (const p of ['plain', 'bulk', 'users', 'users.idx.email', 'users.idx.role']) {
        const sql = `SELECT k, v FROM ${partitionTable(p)} ORDER BY k`;
        const a = oursBackend.db.prepare<[], [Buffer, Buffer]>(sql).raw(true).iterate();
        const b = rawDb.prepare<[], [Buffer, Buffer]>(sql).raw(true).iterate();
        for (;;) {
          const x = a.next();
          const y = b.next();
          if (x.done || y.done) {
            if (!x.done || !y.done) throw new Error(`ours and raw hold different row counts in ${p}`);
            break;
          }
          if (!x.value[0].equals(y.value[0]) || !x.value[1].equals(y.value[1])) throw new Error(`ours and raw wrote different rows in ${p}`);
        }
      }
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
