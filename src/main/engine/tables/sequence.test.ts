import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from '../storage/sqlite/sqlite-backend';
import { Sequence } from './sequence';
import { ADMIN, as, SYSTEM_SUBJECT, testClock, testEngine, tid, todoTable } from './testing.test-support';

const dir = mkdtempSync(join(tmpdir(), 'kalam-seq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `db-${n++}.sqlite`);

const take = (s: Sequence, count: number) => Array.from({ length: count }, () => s.nextValue());
const strictlyIncreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

describe('Sequence', () => {
  it('starts at 1 and increases by one within a process', () => {
    const b = new SqliteBackend(':memory:');
    const s = new Sequence(b, { block: 10 });
    expect(take(s, 25)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(s.last()).toBe(25);
    b.close();
  });

  it('persists a high-water mark once per block, not per id', () => {
    const b = new SqliteBackend(':memory:');
    const s = new Sequence(b, { block: 100 });
    const puts: number[] = [];
    const put = b.put.bind(b);
    b.put = (p, k, v) => {
      if (p === 'engine.meta') puts.push(Number(new TextDecoder().decode(v)));
      put(p, k, v);
    };
    take(s, 250);
    expect(puts).toEqual([100, 200, 300]);
    expect(s.persisted()).toBe(300);
    b.close();
  });

  it('never goes backwards across close and reopen (ids reserved but unused are skipped)', () => {
    const path = freshPath();
    const seen: number[] = [];
    for (let round = 0; round < 4; round++) {
      const b = new SqliteBackend(path);
      const s = new Sequence(b, { block: 7 });
      seen.push(...take(s, 3 + round * 5));
      b.close();
    }
    expect(strictlyIncreasing(seen)).toBe(true);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('re-reserves after the transaction that reserved a block rolls back', () => {
    const path = freshPath();
    const b = new SqliteBackend(path);
    const s = new Sequence(b, { block: 5 });
    b.createPartition('rows');
    b.transaction(() => take(s, 2)); // reserves 1..5
    // This transaction reserves 6..10 and rolls back: the mark goes back to 5.
    expect(() =>
      b.transaction(() => {
        take(s, 4); // 3, 4, 5, 6 (6 needs the new block)
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(s.persisted()).toBe(5);
    // The next id must come with a new, committed reservation above it.
    const committed = b.transaction(() => {
      const id = s.nextValue();
      b.put('rows', new Uint8Array([1]), new TextEncoder().encode(String(id)));
      return id;
    });
    expect(committed).toBe(7);
    expect(s.persisted()).toBeGreaterThanOrEqual(committed);
    b.close();
    // After a restart, ids continue above everything committed.
    const again = new SqliteBackend(path);
    expect(new Sequence(again, { block: 5 }).nextValue()).toBeGreaterThan(committed);
    again.close();
  });

  it('two sequences on one database never hand out the same id', () => {
    const b = new SqliteBackend(':memory:');
    const s1 = new Sequence(b, { block: 3 });
    const s2 = new Sequence(b, { block: 3 });
    const ids = [...take(s1, 4), ...take(s2, 4), ...take(s1, 4), ...take(s2, 4)];
    expect(new Set(ids).size).toBe(ids.length);
    b.close();
  });
});

describe('_seq of data-table writes', () => {
  it('is unique and strictly increasing over writes of every kind and table', () => {
    const engine = testEngine();
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared'));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user'));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream'));
    const shared = engine.data.shared(tid('app.todos_shared'));
    const user = engine.data.user(tid('app.todos_user'));
    const stream = engine.data.stream(tid('app.todos_stream'));
    const seqs: number[] = [];
    for (let i = 1; i <= 30; i++) {
      seqs.push(shared.insertRow(SYSTEM_SUBJECT, { id: i, title: `s${i}` })._seq);
      seqs.push(user.insertRow(as('alice'), { id: i, title: `u${i}` })._seq);
      seqs.push(stream.appendRow(as('bob'), { id: i, title: `e${i}` })[1]._seq);
      seqs.push(shared.updateRow(SYSTEM_SUBJECT, i, { done: true })._seq);
      seqs.push(user.upsertRow(as('alice'), { id: i, title: `u${i}!` })._seq);
    }
    expect(strictlyIncreasing(seqs)).toBe(true);
    // a delete stamps its tombstone with a new _seq too
    const before = engine.sequence.last();
    shared.deleteRow(SYSTEM_SUBJECT, 1);
    expect(shared.get(shared.schema.rowIdOf(1))?._seq).toBe(before + 1);
    engine.close();
  });

  it('keeps increasing across an engine reopen (temp-file database)', () => {
    const path = freshPath();
    const clock = testClock();
    const seqs: number[] = [];
    for (let round = 0; round < 3; round++) {
      const engine = testEngine(clock, path);
      if (round === 0) engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user'));
      const user = engine.data.user(tid('app.todos_user'));
      for (let i = 0; i < 5; i++) seqs.push(user.insertRow(as(`u${round}`), { id: i, title: 't' })._seq);
      engine.close();
    }
    expect(strictlyIncreasing(seqs)).toBe(true);
    const engine = testEngine(clock, path);
    const rows = [...engine.data.user(tid('app.todos_user')).scanRows(ADMIN)].map(([, r]) => r._seq);
    expect(rows.sort((a, b) => a - b)).toEqual(seqs);
    engine.close();
  });
});
