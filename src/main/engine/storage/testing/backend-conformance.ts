import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { compareBytes, startsWith } from '../../../../shared/keys/tuple';
import { type ScanOptions, type StorageBackend, StorageError } from '../storage-backend';

export interface BackendFactory {
  /** A fresh, empty backend. */
  create(): StorageBackend;
  /** Closes and reopens the same store: required when the backend declares supports.persistence. */
  reopen?: (backend: StorageBackend) => StorageBackend;
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The reference model a scan must agree with: filter, sort, reverse, limit. */
function modelScan(keys: Uint8Array[], o: ScanOptions): Uint8Array[] {
  const inRange = (k: Uint8Array) =>
    (!o.prefix || startsWith(k, o.prefix)) &&
    (!o.gte || compareBytes(k, o.gte) >= 0) &&
    (!o.gt || compareBytes(k, o.gt) > 0) &&
    (!o.lt || compareBytes(k, o.lt) < 0) &&
    (!o.lte || compareBytes(k, o.lte) <= 0);
  const sorted = keys.filter(inRange).sort(compareBytes);
  if (o.reverse) sorted.reverse();
  return o.limit === undefined ? sorted : sorted.slice(0, o.limit);
}

const keyArb = fc.uint8Array({ minLength: 0, maxLength: 6, max: 4 }).map((a) => Uint8Array.from(a.map((x) => [0, 1, 0x7f, 0xfe, 0xff][x]!)));
const optionalKey = fc.option(keyArb, { nil: undefined });
/** Values as the envelope stores them: a header, then UTF-8 text; some with another header. */
const HEADER = bytes(1, 1);
const valueArb = fc.oneof(
  fc.string({ maxLength: 12 }).map((t) => Buffer.concat([HEADER, Buffer.from(t)])),
  fc.string({ maxLength: 12 }).map((t) => Buffer.concat([bytes(1, 2), Buffer.from(t)])),
  fc.string({ maxLength: 12 }).map((t) => Buffer.concat([bytes(0x81, 1), Buffer.from(t)])),
  fc.uint8Array({ maxLength: 1 }),
);

const scanOptionsArb: fc.Arbitrary<ScanOptions> = fc.record(
  {
    prefix: optionalKey,
    gte: optionalKey,
    gt: optionalKey,
    lt: optionalKey,
    lte: optionalKey,
    limit: fc.option(fc.nat({ max: 300 }), { nil: undefined }),
    reverse: fc.boolean(),
  },
  { requiredKeys: [] },
);

/**
 * The behaviour every StorageBackend must have. Each implementation's test file calls this once,
 * in the manner of abstract-level's shared test suite.
 */
export function describeBackendConformance(name: string, factory: BackendFactory): void {
  describe(`StorageBackend conformance: ${name}`, () => {
    let backend: StorageBackend;
    const fresh = () => {
      backend = factory.create();
      return backend;
    };
    afterEach(() => backend?.close());

    it('declares its capabilities', () => {
      const { supports } = fresh();
      for (const capability of ['rangeDelete', 'snapshot', 'persistence'] as const) expect(typeof supports[capability]).toBe('boolean');
      // A store that keeps its data can be opened again (the suite checks it does).
      if (supports.persistence) expect(factory.reopen).toBeDefined();
    });

    describe('partitions', () => {
      it('creates idempotently, lists in order, and drops with their data', () => {
        const b = fresh();
        b.createPartition('zeta');
        b.createPartition('alpha');
        b.createPartition('alpha');
        expect(b.listPartitions()).toEqual(['alpha', 'zeta']);
        expect(b.hasPartition('alpha')).toBe(true);
        b.put('alpha', bytes(1), bytes(2));
        b.dropPartition('alpha');
        expect(b.hasPartition('alpha')).toBe(false);
        expect(b.listPartitions()).toEqual(['zeta']);
        b.createPartition('alpha');
        expect(b.get('alpha', bytes(1))).toBeUndefined();
      });

      it('refuses unknown partitions and invalid names with a clear error', () => {
        const b = fresh();
        expect(() => b.get('missing', bytes(1))).toThrow(/partition "missing" does not exist/);
        expect(() => b.put('missing', bytes(1), bytes(1))).toThrow(/does not exist/);
        expect(() => b.dropPartition('missing')).toThrow(/does not exist/);
        expect(() => b.createPartition('Bad Name')).toThrow(/invalid partition name/);
        expect(() => b.createPartition('x"; DROP TABLE y; --')).toThrow(/invalid partition name/);
        expect(b.listPartitions()).toEqual([]);
      });

      it('keeps partitions apart: the same key in two partitions holds two values', () => {
        const b = fresh();
        b.createPartition('a');
        b.createPartition('b');
        b.put('a', bytes(1), text('in a'));
        b.put('b', bytes(1), text('in b'));
        expect(Buffer.from(b.get('a', bytes(1))!).toString()).toBe('in a');
        expect(Buffer.from(b.get('b', bytes(1))!).toString()).toBe('in b');
        expect(b.count('a')).toBe(1);
      });
    });

    describe('point operations', () => {
      it('puts, overwrites, gets and deletes', () => {
        const b = fresh();
        b.createPartition('p');
        expect(b.get('p', bytes(1))).toBeUndefined();
        b.put('p', bytes(1), text('one'));
        b.put('p', bytes(1), text('uno'));
        expect(hex(b.get('p', bytes(1))!)).toBe(hex(text('uno')));
        b.delete('p', bytes(1));
        b.delete('p', bytes(1));
        expect(b.get('p', bytes(1))).toBeUndefined();
      });

      it('stores empty keys, empty values and every byte value exactly', () => {
        const b = fresh();
        b.createPartition('p');
        const all = Uint8Array.from({ length: 256 }, (_, i) => i);
        b.put('p', new Uint8Array(0), all);
        b.put('p', all, new Uint8Array(0));
        expect(hex(b.get('p', new Uint8Array(0))!)).toBe(hex(all));
        expect(b.get('p', all)!.length).toBe(0);
      });
    });

    describe('batches and transactions', () => {
      it('applies a batch across partitions atomically', () => {
        const b = fresh();
        b.createPartition('a');
        b.createPartition('b');
        b.put('a', bytes(9), bytes(9));
        b.batch([
          { type: 'put', partition: 'a', key: bytes(1), value: bytes(1) },
          { type: 'put', partition: 'b', key: bytes(2), value: bytes(2) },
          { type: 'del', partition: 'a', key: bytes(9) },
        ]);
        expect(b.get('a', bytes(1))).toBeDefined();
        expect(b.get('b', bytes(2))).toBeDefined();
        expect(b.get('a', bytes(9))).toBeUndefined();
      });

      it('writes nothing when an operation of the batch fails', () => {
        const b = fresh();
        b.createPartition('a');
        expect(() =>
          b.batch([
            { type: 'put', partition: 'a', key: bytes(1), value: bytes(1) },
            { type: 'put', partition: 'nope', key: bytes(2), value: bytes(2) },
          ]),
        ).toThrow(/does not exist/);
        expect(b.count('a')).toBe(0);
      });

      it('rolls back a transaction that throws, and only the inner part of a nested one', () => {
        const b = fresh();
        b.createPartition('a');
        expect(() =>
          b.transaction(() => {
            b.put('a', bytes(1), bytes(1));
            expect(b.get('a', bytes(1))).toBeDefined();
            throw new Error('boom');
          }),
        ).toThrow('boom');
        expect(b.get('a', bytes(1))).toBeUndefined();
        b.transaction(() => {
          b.put('a', bytes(2), bytes(2));
          try {
            b.transaction(() => {
              b.put('a', bytes(3), bytes(3));
              throw new Error('inner');
            });
          } catch {
            // the outer transaction goes on without the inner writes
          }
        });
        expect(b.get('a', bytes(2))).toBeDefined();
        expect(b.get('a', bytes(3))).toBeUndefined();
      });

      it('takes back the partitions a rolled-back transaction created or dropped, with their data', () => {
        const b = fresh();
        b.createPartition('kept');
        b.put('kept', bytes(1), text('kept'));
        expect(() =>
          b.transaction(() => {
            b.dropPartition('kept');
            b.createPartition('new');
            b.put('new', bytes(2), bytes(2));
            throw new Error('boom');
          }),
        ).toThrow('boom');
        expect(b.listPartitions()).toEqual(['kept']);
        expect(b.hasPartition('new')).toBe(false);
        expect(Buffer.from(b.get('kept', bytes(1))!).toString()).toBe('kept');
        expect(() => b.get('new', bytes(2))).toThrow(/does not exist/);
      });

      it('returns the value of the transaction function', () => {
        const b = fresh();
        expect(b.transaction(() => 42)).toBe(42);
      });

      it('putIfAbsent stores only new keys and says whether it did', () => {
        const b = fresh();
        b.createPartition('a');
        expect(b.putIfAbsent('a', bytes(1), bytes(10))).toBe(true);
        expect(b.putIfAbsent('a', bytes(1), bytes(11))).toBe(false);
        expect(hex(b.get('a', bytes(1))!)).toBe('0a');
        b.transaction(() => {
          expect(b.putIfAbsent('a', bytes(2), bytes(20))).toBe(true);
          expect(b.putIfAbsent('a', bytes(2), bytes(21))).toBe(false);
        });
        expect(hex(b.get('a', bytes(2))!)).toBe('14');
        expect(() => b.putIfAbsent('nope', bytes(1), bytes(1))).toThrow(/does not exist/);
      });

      it('putManyIfAbsent stores the leading pairs up to the first chunk that meets a stored or repeated key, and nothing after', () => {
        fc.assert(
          fc.property(
            fc.uniqueArray(keyArb, { selector: hex, maxLength: 40 }),
            // Long runs of new keys (several statements' worth), sometimes with a stored or repeated one.
            fc.array(fc.tuple(keyArb, valueArb), { maxLength: 300 }),
            fc.boolean(),
            (stored, pairs, inTransaction) => {
              const b = factory.create();
              try {
                b.createPartition('p');
                b.batch(stored.map((key) => ({ type: 'put' as const, partition: 'p', key, value: HEADER })));
                const keys = pairs.map(([k]) => k);
                const values = pairs.map(([, v]) => v);
                const n = inTransaction ? b.transaction(() => b.putManyIfAbsent('p', keys, values)) : b.putManyIfAbsent('p', keys, values);
                const seen = new Set(stored.map(hex));
                let conflict = pairs.length;
                for (let i = 0; i < pairs.length && conflict === pairs.length; i++) {
                  if (seen.has(hex(keys[i]!))) conflict = i;
                  seen.add(hex(keys[i]!));
                }
                // Every pair before n is stored; n stops at or before the first stored or repeated key.
                expect(n).toBeLessThanOrEqual(conflict);
                if (conflict === pairs.length) expect(n).toBe(pairs.length);
                const model = new Map(stored.map((k) => [hex(k), hex(HEADER)]));
                for (let i = 0; i < n; i++) model.set(hex(keys[i]!), hex(values[i]!));
                expect(new Map([...b.scan('p')].map(([k, v]) => [hex(k), hex(v)]))).toEqual(model);
                expect(b.stats('p').rows).toBe(model.size);
              } finally {
                b.close();
              }
            },
          ),
          { numRuns: 120 },
        );
        const b = fresh();
        b.createPartition('a');
        const many = Array.from({ length: 200 }, (_, i) => bytes(i >> 8, i & 0xff));
        // A transaction that fails after the write takes it back.
        expect(() =>
          b.transaction(() => {
            expect(b.putManyIfAbsent('a', many, many)).toBe(200);
            throw new Error('after');
          }),
        ).toThrow('after');
        expect(b.count('a')).toBe(0);
        expect(b.putManyIfAbsent('a', many, many)).toBe(200);
        expect(b.stats('a').rows).toBe(200);
        expect(() => b.putManyIfAbsent('nope', many, many)).toThrow(/does not exist/);
      });

      it('runs commit hooks after the outermost commit, and rollback hooks of what rolled back', () => {
        const b = fresh();
        b.createPartition('a');
        const log: string[] = [];
        b.onCommit(() => log.push('outside'));
        b.onRollback(() => log.push('never'));
        expect(log).toEqual(['outside']);
        log.length = 0;

        b.transaction(() => {
          b.put('a', bytes(1), bytes(1));
          b.onCommit(() => log.push(`outer committed, sees ${b.get('a', bytes(1)) === undefined ? 'nothing' : 'its write'}`));
          b.onRollback(() => log.push('outer rolled back'));
          b.transaction(() => {
            b.onCommit(() => log.push('released savepoint'));
            b.onRollback(() => log.push('released savepoint rolled back'));
          });
          try {
            b.transaction(() => {
              b.onCommit(() => log.push('failed savepoint committed'));
              b.onRollback(() => log.push('failed savepoint rolled back'));
              throw new Error('inner');
            });
          } catch {
            // the outer goes on
          }
          log.push('outer body done');
        });
        expect(log).toEqual(['failed savepoint rolled back', 'outer body done', 'outer committed, sees its write', 'released savepoint']);

        log.length = 0;
        expect(() =>
          b.transaction(() => {
            b.onCommit(() => log.push('committed'));
            b.onRollback(() => log.push('outer rolled back'));
            b.transaction(() => b.onRollback(() => log.push('released savepoint rolled back')));
            throw new Error('boom');
          }),
        ).toThrow('boom');
        expect(log).toEqual(['outer rolled back', 'released savepoint rolled back']);
      });

      it('runs every commit hook even when one throws, then reports the error', () => {
        const b = fresh();
        b.createPartition('a');
        const log: string[] = [];
        expect(() =>
          b.transaction(() => {
            b.put('a', bytes(1), bytes(1));
            b.onCommit(() => {
              throw new Error('hook');
            });
            b.onCommit(() => log.push('second'));
          }),
        ).toThrow('hook');
        expect(log).toEqual(['second']);
        // the data is committed all the same
        expect(b.get('a', bytes(1))).toBeDefined();
      });
    });

    describe('scans', () => {
      it('agrees with a sorted model for any range, direction and limit', () => {
        fc.assert(
          fc.property(fc.uniqueArray(keyArb, { selector: hex, maxLength: 120 }), scanOptionsArb, (keys, options) => {
            const b = factory.create();
            try {
              b.createPartition('p');
              b.batch(keys.map((key) => ({ type: 'put' as const, partition: 'p', key, value: key })));
              const expected = modelScan(keys, options).map(hex);
              expect([...b.scan('p', options)].map(([k]) => hex(k))).toEqual(expected);
              expect([...b.scan('p', options)].every(([k, v]) => hex(k) === hex(v))).toBe(true);
              expect([...b.scanKeys('p', options)].map(hex)).toEqual(expected);
              const batches = [...b.scanBatches('p', options)];
              expect(batches.every((rows) => rows.length > 0)).toBe(true);
              expect(batches.flat().map(([k]) => hex(k))).toEqual(expected);
              const total = modelScan(keys, { ...options, limit: undefined, reverse: false }).length;
              expect(b.count('p', options)).toBe(total);
              expect(b.count('p', { ...options, cap: 3 })).toBe(Math.min(3, total));
            } finally {
              b.close();
            }
          }),
          { numRuns: 150 },
        );
      });

      it('reads values as text after their header, and others whole, for any range', () => {
        fc.assert(
          fc.property(fc.uniqueArray(fc.tuple(keyArb, valueArb), { selector: ([k]) => hex(k), maxLength: 300 }), scanOptionsArb, (rows, options) => {
            const b = factory.create();
            try {
              b.createPartition('p');
              b.batch(rows.map(([key, value]) => ({ type: 'put' as const, partition: 'p', key, value })));
              const values = new Map(rows.map(([k, v]) => [hex(k), Buffer.from(v)]));
              const keys = modelScan(
                rows.map(([k]) => k),
                options,
              ).map(hex);
              const shown = (v: string | Uint8Array) => (typeof v === 'string' ? `text:${v}` : `bytes:${hex(v)}`);
              const expected = keys.map((k) => {
                const v = values.get(k)!;
                const own = v.length >= HEADER.length && v.subarray(0, HEADER.length).equals(HEADER);
                return own ? `text:${v.toString()}` : `bytes:${hex(v)}`;
              });
              const high = Buffer.from([0x81, 0x01]);
              for (const [header, want] of [
                [HEADER, expected],
                // A header that is no ASCII text (a varint of 128 or more): compared as bytes.
                [high, keys.map((k) => (values.get(k)!.subarray(0, 2).equals(high) ? `text:${values.get(k)!.toString()}` : `bytes:${hex(values.get(k)!)}`))],
                // An empty header: every value is text.
                [new Uint8Array(0), keys.map((k) => `text:${values.get(k)!.toString()}`)],
              ] as const) {
                const batches = [...b.scanText('p', { ...options, header })];
                expect(batches.every((batch) => batch.values.length > 0)).toBe(true);
                expect(batches.flatMap((batch) => batch.values.map(shown))).toEqual(want);
                // Each batch's end keys, and all its keys when a value came whole.
                let at = 0;
                for (const batch of batches) {
                  const own = keys.slice(at, at + batch.values.length);
                  at += batch.values.length;
                  expect([hex(batch.firstKey), hex(batch.lastKey)]).toEqual([own[0], own[own.length - 1]]);
                  if (batch.values.some((v) => typeof v !== 'string')) expect(batch.keys?.map(hex)).toEqual(own);
                  else expect(batch.keys).toBeUndefined();
                }
              }
            } finally {
              b.close();
            }
          }),
          { numRuns: 100 },
        );
      });

      it('deletes exactly a range, or refuses when it cannot', () => {
        fc.assert(
          fc.property(fc.uniqueArray(keyArb, { selector: hex, maxLength: 80 }), scanOptionsArb, (keys, { limit: _l, reverse: _r, ...range }) => {
            const b = factory.create();
            try {
              b.createPartition('p');
              b.createPartition('other');
              const puts = keys.map((key) => ({ type: 'put' as const, partition: 'p', key, value: key }));
              b.batch([...puts, ...puts.map((op) => ({ ...op, partition: 'other' }))]);
              if (!b.supports.rangeDelete) {
                expect(() => b.deleteRange('p', range)).toThrow(StorageError);
                return;
              }
              const gone = new Set(modelScan(keys, range).map(hex));
              // Taken back with its transaction, then for good.
              expect(() =>
                b.transaction(() => {
                  expect(b.deleteRange('p', range)).toBe(gone.size);
                  throw new Error('undo');
                }),
              ).toThrow('undo');
              expect(b.count('p')).toBe(keys.length);
              expect(b.deleteRange('p', range)).toBe(gone.size);
              expect([...b.scanKeys('p')].map(hex)).toEqual(
                keys
                  .filter((k) => !gone.has(hex(k)))
                  .sort(compareBytes)
                  .map(hex),
              );
              expect(b.count('other')).toBe(keys.length);
              expect(b.deleteRange('p')).toBe(keys.length - gone.size);
              expect(b.count('p')).toBe(0);
            } finally {
              b.close();
            }
          }),
          { numRuns: 100 },
        );
        expect(() => fresh().deleteRange('missing')).toThrow(/does not exist/);
      });

      it('scans lazily and lets the caller write between rows', () => {
        const b = fresh();
        b.createPartition('p');
        const n = 3000;
        b.batch(Array.from({ length: n }, (_, i) => ({ type: 'put' as const, partition: 'p', key: bytes(i >> 8, i & 0xff), value: bytes(1) })));
        let seen = 0;
        for (const [k] of b.scan('p')) {
          b.delete('p', k);
          seen++;
        }
        expect(seen).toBe(n);
        expect(b.count('p')).toBe(0);
      });

      it('reads on correctly when the caller empties each batch it is handed', () => {
        const b = fresh();
        b.createPartition('p');
        const keys = Array.from({ length: 3000 }, (_, i) => bytes(i >> 8, i & 0xff));
        b.batch(keys.map((key) => ({ type: 'put' as const, partition: 'p', key, value: bytes() })));
        for (const reverse of [false, true]) {
          const seen: string[] = [];
          for (const rows of b.scanBatches('p', { reverse })) {
            for (const [k] of rows) seen.push(hex(k));
            rows.length = 0;
          }
          const all = keys.map(hex);
          expect(seen).toEqual(reverse ? all.reverse() : all);
        }
      });

      it('stops reading when the caller stops', () => {
        const b = fresh();
        b.createPartition('p');
        b.batch(Array.from({ length: 500 }, (_, i) => ({ type: 'put' as const, partition: 'p', key: bytes(i >> 8, i & 0xff), value: bytes() })));
        const it = b.scan('p');
        const first = it.next();
        expect(first.done ? undefined : hex(first.value[0])).toBe('0000');
        it.return?.();
        // a second scan of the same shape works while the first was abandoned
        expect([...b.scan('p', { limit: 2 })].length).toBe(2);
      });
    });

    it('reports rows and key + value bytes per partition', () => {
      const b = fresh();
      b.createPartition('p');
      expect(b.stats('p')).toEqual({ partition: 'p', rows: 0, bytes: 0 });
      b.put('p', bytes(1, 2), bytes(1, 2, 3));
      b.put('p', bytes(3), bytes());
      expect(b.stats('p')).toEqual({ partition: 'p', rows: 2, bytes: 6 });
    });

    it('runs a bulk write inside a transaction: its writes and stats as any others, all or nothing', () => {
      const b = fresh();
      b.createPartition('p');
      b.createPartition('q');
      // Two-byte keys, one-byte values: three bytes a row.
      const fill = (from: number, n: number) => {
        for (let i = from; i < from + n; i++) b.put('p', bytes(i >> 8, i & 0xff), bytes(i & 7));
      };
      expect(() => b.bulkWrite(['p'], 10, () => fill(0, 10))).toThrow(StorageError);
      expect(() => b.transaction(() => b.bulkWrite(['missing'], 10, () => 0))).toThrow(/does not exist/);
      // Small and large (past any threshold a backend has), then one rolled back.
      b.transaction(() => b.bulkWrite(['p', 'q'], 10, () => fill(0, 10)));
      b.transaction(() => b.bulkWrite(['p', 'q'], 6_000, () => fill(10, 6_000)));
      expect(() =>
        b.transaction(() =>
          b.bulkWrite(['p'], 6_000, () => {
            fill(6_010, 6_000);
            throw new Error('undo');
          }),
        ),
      ).toThrow('undo');
      expect(b.stats('p')).toEqual({ partition: 'p', rows: 6_010, bytes: 6_010 * 3 });
      expect(b.stats('q')).toEqual({ partition: 'q', rows: 0, bytes: 0 });
      // Single writes after a bulk write are counted as before.
      b.put('p', bytes(255, 255), bytes(1, 2));
      b.delete('p', bytes(0, 1));
      expect(b.stats('p')).toEqual({ partition: 'p', rows: 6_010, bytes: 6_010 * 3 + 4 - 3 });
    });

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('keeps committed data and partitions across close and reopen', () => {
        const b = fresh();
        expect(b.supports.persistence).toBe(true);
        b.createPartition('p');
        b.batch([{ type: 'put', partition: 'p', key: bytes(1), value: text('kept') }]);
        backend = reopen(b);
        expect(backend.listPartitions()).toEqual(['p']);
        expect(Buffer.from(backend.get('p', bytes(1))!).toString()).toBe('kept');
      });
    }
  });
}
