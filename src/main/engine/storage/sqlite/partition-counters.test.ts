import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from './sqlite-backend';

const dir = mkdtempSync(join(tmpdir(), 'kalam-counters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** What count(*) and the byte sum say, the slow way. */
function counted(b: SqliteBackend, partition: string): { rows: number; bytes: number } {
  let rows = 0;
  let bytes = 0;
  for (const [k, v] of b.scan(partition)) {
    rows++;
    bytes += k.length + v.length;
  }
  return { rows, bytes };
}

const key = fc.integer({ min: 0, max: 30 }).map((i) => Buffer.from([i]));
const op = fc.oneof(
  fc.record({ type: fc.constant('put' as const), key, size: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ type: fc.constant('putIfAbsent' as const), key, size: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ type: fc.constant('del' as const), key }),
  fc.record({ type: fc.constant('range' as const), from: key, to: key }),
  fc.record({ type: fc.constant('rollback' as const), key }),
);

describe('maintained partition counters', () => {
  it('stay exact under any mix of puts, overwrites, deletes, range deletes and rolled-back writes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const b = new SqliteBackend(':memory:');
        b.createPartition('p');
        for (const o of ops) {
          if (o.type === 'put') b.put('p', o.key, Buffer.alloc(o.size, 1));
          else if (o.type === 'putIfAbsent') b.putIfAbsent('p', o.key, Buffer.alloc(o.size, 2));
          else if (o.type === 'del') b.delete('p', o.key);
          else if (o.type === 'range') b.deleteRange('p', { gte: o.from, lt: o.to });
          else {
            expect(() =>
              b.transaction(() => {
                b.put('p', o.key, Buffer.alloc(99));
                throw new Error('rolled back');
              }),
            ).toThrow('rolled back');
          }
          expect(b.stats('p')).toEqual({ partition: 'p', ...counted(b, 'p') });
        }
        b.close();
      }),
      { numRuns: 60 },
    );
  });

  it('stay exact through large range deletes (the trigger is off for them), whole or bounded, committed or rolled back, and count single writes after', () => {
    const wide = fc.integer({ min: 0, max: 12_000 }).map((i) => Buffer.from([i >> 8, i & 255]));
    const big = fc.oneof(
      fc.record({ type: fc.constant('range' as const), from: wide, to: wide }),
      fc.record({ type: fc.constant('whole' as const) }),
      fc.record({ type: fc.constant('rollback' as const), from: wide, to: wide }),
      fc.record({ type: fc.constant('refill' as const), from: wide, size: fc.integer({ min: 0, max: 40 }) }),
    );
    fc.assert(
      fc.property(fc.array(big, { minLength: 1, maxLength: 6 }), (ops) => {
        const b = new SqliteBackend(':memory:');
        b.createPartition('p');
        const fill = (from: number, size: number) =>
          b.batch(
            Array.from({ length: 6_000 }, (_, i) => ({
              type: 'put' as const,
              partition: 'p',
              key: Buffer.from([(from + i) >> 8, (from + i) & 255]),
              value: Buffer.alloc(size + (i % 7), 3),
            })),
          );
        fill(0, 10);
        fill(6_000, 20);
        for (const o of ops) {
          if (o.type === 'range') b.deleteRange('p', { gte: o.from, lt: o.to });
          else if (o.type === 'whole') b.deleteRange('p');
          else if (o.type === 'refill') fill(o.from[0]! * 256 + o.from[1]!, o.size);
          else {
            expect(() =>
              b.transaction(() => {
                b.deleteRange('p', { gte: o.from, lt: o.to });
                throw new Error('rolled back');
              }),
            ).toThrow('rolled back');
          }
          expect(b.stats('p')).toEqual({ partition: 'p', ...counted(b, 'p') });
          // The per-row trigger is back: single writes keep counting.
          b.put('p', Buffer.from([255, 255]), Buffer.alloc(5));
          b.delete('p', Buffer.from([0, 1]));
          expect(b.stats('p')).toEqual({ partition: 'p', ...counted(b, 'p') });
        }
        b.close();
      }),
      { numRuns: 25 },
    );
  });

  it("count another connection's writes (a job worker's) and survive reopening", () => {
    const path = join(dir, `shared-${n++}.sqlite`);
    const app = new SqliteBackend(path);
    app.createPartition('p');
    const worker = new SqliteBackend(path);
    worker.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put' as const, partition: 'p', key: Buffer.from([i]), value: Buffer.from('vv') })));
    worker.deleteRange('p', { lt: Buffer.from([10]) });
    expect(app.stats('p')).toEqual({ partition: 'p', rows: 90, bytes: 270 });
    worker.close();
    app.close();
    const again = new SqliteBackend(path);
    expect(again.stats('p')).toEqual({ partition: 'p', rows: 90, bytes: 270 });
    again.close();
  });

  it('counts a database from before counters once when it is opened, and keeps counting after', () => {
    const path = join(dir, `old-${n++}.sqlite`);
    // The shape an older build wrote: partition tables, no counters, no triggers.
    const raw = new Database(path);
    raw.exec('CREATE TABLE "p_old" (k BLOB PRIMARY KEY NOT NULL, v BLOB NOT NULL) WITHOUT ROWID');
    const insert = raw.prepare('INSERT INTO "p_old" (k, v) VALUES (?, ?)');
    for (let i = 0; i < 50; i++) insert.run(Buffer.from([i]), Buffer.from('abc'));
    raw.close();
    // A read-only connection cannot add counters: it counts.
    const reader = new SqliteBackend(path, { readonly: true });
    expect(reader.stats('old')).toEqual({ partition: 'old', rows: 50, bytes: 200 });
    reader.close();
    const b = new SqliteBackend(path);
    expect(b.stats('old')).toEqual({ partition: 'old', rows: 50, bytes: 200 });
    b.put('old', Buffer.from([200]), Buffer.from('x'));
    b.put('old', Buffer.from([0]), Buffer.from('abcdef'));
    expect(b.stats('old')).toEqual({ partition: 'old', ...counted(b, 'old') });
    b.close();
  });

  it('forget a dropped partition: one created again under its name starts at zero', () => {
    const b = new SqliteBackend(':memory:');
    b.createPartition('p');
    b.put('p', Buffer.from('k'), Buffer.from('v'));
    b.dropPartition('p');
    b.createPartition('p');
    expect(b.stats('p')).toEqual({ partition: 'p', rows: 0, bytes: 0 });
    b.close();
  });

  it('count a partition copied from another database record for record (a restore)', () => {
    const source = new SqliteBackend(join(dir, `src-${n++}.sqlite`));
    source.createPartition('a');
    source.batch(Array.from({ length: 20 }, (_, i) => ({ type: 'put' as const, partition: 'a', key: Buffer.from([i]), value: Buffer.from('12345') })));
    source.close();
    const target = new SqliteBackend(join(dir, `dst-${n++}.sqlite`));
    target.createPartition('a');
    target.put('a', Buffer.from('old'), Buffer.from('gone'));
    target.withAttached(source.path, (attached) => target.transaction(() => attached.copyPartition('a')));
    expect(target.stats('a')).toEqual({ partition: 'a', rows: 20, bytes: 120 });
    // The triggers are back: later writes are counted.
    target.delete('a', Buffer.from([0]));
    expect(target.stats('a')).toEqual({ partition: 'a', rows: 19, bytes: 114 });
    target.close();
  });
});
