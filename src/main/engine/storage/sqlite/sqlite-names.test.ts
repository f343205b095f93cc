import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from './sqlite-backend';
import { partitionTable, quoteIdentifier } from './sqlite-names';
import { PARTITION_NAME, StorageError } from '../storage-backend';

const dir = mkdtempSync(join(tmpdir(), 'kalam-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Names an attacker would try, and arbitrary text (well-formed Unicode: SQLite stores UTF-8). */
const hostile = fc.oneof(
  fc.constantFrom('zz" AS "q', 'x"; DROP TABLE "p_victim"; --', 'victim" WHERE 0 UNION SELECT 1, 2 --', 'a b', 'A', '', '..', 'x\n', '`x`', '[x]', "x'y"),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('"', "'", ' ', ';', '-', '.', ':', '_', 'p', 'z', 'Q', '(', ')', '\n', 'é'), maxLength: 30 }),
);

const tables = (db: Database.Database) => db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('partition names in SQL: one quoting function, and the partition rule first', () => {
  it('partitionTable quotes exactly the names the partition rule allows, and refuses every other string', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, fc.stringMatching(PARTITION_NAME)), (name) => {
        if (PARTITION_NAME.test(name)) {
          expect(partitionTable(name)).toBe(`"p_${name}"`);
          expect(partitionTable(name, 'kalam_restore')).toBe(`"kalam_restore"."p_${name}"`);
        } else {
          expect(() => partitionTable(name)).toThrow(StorageError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('quoteIdentifier names exactly the table it was given, whatever its characters', () => {
    const db = new Database(':memory:');
    fc.assert(
      // Names starting with "sqlite_" are SQLite's own: no quoting makes them creatable.
      fc.property(
        hostile.filter((name) => !name.toLowerCase().startsWith('sqlite_')),
        (name) => {
          db.exec(`CREATE TABLE ${quoteIdentifier(name)} (k BLOB)`);
          expect(tables(db)).toEqual([name]);
          db.exec(`DROP TABLE ${quoteIdentifier(name)}`);
        },
      ),
      { numRuns: 300 },
    );
    db.close();
    expect(() => quoteIdentifier('a\0b')).toThrow(StorageError);
  });

  it('a database holding a "p_" table whose name breaks the partition rule is refused on open, and nothing in it changes', () => {
    fc.assert(
      fc.property(
        hostile.filter((t) => !PARTITION_NAME.test(t)),
        (table) => {
          const path = join(dir, `hostile-${n++}.sqlite`);
          const raw = new Database(path);
          raw.exec('CREATE TABLE "p_victim" (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID');
          raw.prepare('INSERT INTO "p_victim" VALUES (?, ?)').run(Buffer.from('k'), Buffer.from('v'));
          raw.exec(`CREATE TABLE ${quoteIdentifier(`p_${table}`)} (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID`);
          const before = tables(raw);
          raw.close();

          expect(() => new SqliteBackend(path, { readonly: true })).toThrow(StorageError);
          expect(() => new SqliteBackend(path)).toThrow(
            `the database holds a table named ${JSON.stringify(`p_${table}`)}, which is not a partition of this engine`,
          );

          const after = new Database(path, { readonly: true });
          expect(tables(after)).toEqual(before);
          expect(after.prepare('SELECT count(*) FROM "p_victim"').pluck().get()).toBe(1);
          after.close();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the reproduction: a table named p_zz" AS "q no longer reads another table through the injected alias', () => {
    const path = join(dir, 'alias.sqlite');
    const raw = new Database(path);
    raw.exec('CREATE TABLE "p_zz" (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID');
    raw.prepare('INSERT INTO "p_zz" VALUES (?, ?)').run(Buffer.from('k'), Buffer.from('secret'));
    raw.exec('CREATE TABLE "p_zz"" AS ""q" (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID');
    raw.close();
    // Before, the backend listed the partition `zz" AS "q` and its reads ran `SELECT v FROM "p_zz" AS "q"`.
    expect(() => new SqliteBackend(path)).toThrow(/the database holds a table named "p_zz\\" AS \\"q", which is not a partition of this engine/);
  });

  it('valid names round-trip: the table is "p_" + the name, and the partition is listed and usable', () => {
    const backend = new SqliteBackend(':memory:');
    fc.assert(
      fc.property(fc.stringMatching(PARTITION_NAME), (name) => {
        backend.createPartition(name);
        backend.put(name, Buffer.from('k'), Buffer.from(name));
        expect(Buffer.from(backend.get(name, Buffer.from('k'))!).toString()).toBe(name);
        expect(backend.listPartitions()).toContain(name);
        expect(tables(backend.db)).toContain(`p_${name}`);
        backend.dropPartition(name);
      }),
      { numRuns: 200 },
    );
    backend.close();
  });
});
