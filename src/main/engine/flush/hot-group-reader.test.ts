import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueCodec } from '../codec/value-codec';
import { SYSTEM_SUBJECT } from '../access/subject';
import { DecodeError } from '../errors';
import { tid, todoTable } from '../tables/testing.test-support';
import { EXACT_TOTAL_UP_TO, runFlush } from './flush-job';
import { headerChars } from './hot-group-reader';
import { testJobContext } from './testing/flush.test-support';
import { useTestEngine } from './testing/test-engine.test-support';

const env = useTestEngine('each');
const T = tid('app.todos');

function seed(n: number): void {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
  env.engine.data.shared(T).insertRows(
    SYSTEM_SUBJECT,
    Array.from({ length: n }, (_, i) => ({ id: i + 1, title: `T${i + 1}` })),
  );
}

describe('the flush reads hot rows as text', () => {
  it('a hot row in no envelope it knows fails the flush, naming its partition and key; nothing is recorded', async () => {
    seed(10);
    const store = env.engine.data.shared(T);
    // Row 6 rewritten with a value format no codec writes, in the middle of the second row group.
    const [key] = [...store.backend.scan(store.partition, { limit: 6 })].at(-1)!;
    env.engine.backend.put(store.partition, key, Uint8Array.of(0x07, 0x01, 0x7b, 0x7d));
    const error = await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 4 }, testJobContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ partition: store.partition, key: store.displayKey(key), reason: 'unknown value format 7' });
    expect([...env.engine.system.manifest.segmentsOf(T)]).toEqual([]);
    expect(env.engine.backend.count(store.partition)).toBe(10);
    expect(env.data.files()).toEqual([]);
  });

  it('reports write progress against the exact row count up to EXACT_TOTAL_UP_TO rows, and without a total above', async () => {
    seed(25);
    const small = testJobContext();
    await runFlush(env.engine, { table: 'app.todos', rowGroupRows: 10 }, small);
    expect(small.progress.filter((p) => p.phase === 'write').map((p) => [p.done, p.total])).toEqual([
      [10, 25],
      [20, 25],
      [25, 25],
    ]);

    env.engine.data.shared(T).insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: EXACT_TOTAL_UP_TO + 1 }, (_, i) => ({ id: 1000 + i, title: 'x' })),
    );
    const large = testJobContext();
    const result = await runFlush(env.engine, { table: 'app.todos' }, large);
    expect(result.rows).toBe(EXACT_TOTAL_UP_TO + 1);
    const writes = large.progress.filter((p) => p.phase === 'write');
    expect(writes.length).toBeGreaterThan(1);
    expect(writes.every((p) => p.total === null)).toBe(true);
    expect(writes.at(-1)!.done).toBe(EXACT_TOTAL_UP_TO + 1);
  });

  it("finds where the JSON starts in a value's text, whatever the envelope's version (ASCII or not)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 28 }), fc.json(), (version, json) => {
        const text = JSON.stringify({ v: JSON.parse(json) as unknown });
        const codec = new ValueCodec({ kind: 'x', version, schema: {} as never });
        const bytes = codec.encode(JSON.parse(text) as never);
        const header = bytes.subarray(0, bytes.length - Buffer.byteLength(text));
        expect(bytes.toString('utf8').slice(headerChars(header))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
