import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../shared/json-value';
import { SYSTEM_SUBJECT } from '../access/subject';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { browseAll, useTestEngine } from '../flush/testing/test-engine.test-support';
import { expectError, issueOf, tid } from './testing.test-support';

const env = useTestEngine('each');
const DOCS = tid('app.docs');

/** `depth` arrays and objects inside each other around 1. */
function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

function docsTable(): void {
  env.engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'app',
    name: 'docs',
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'body', type: 'json' },
    ],
  });
}

const partitions = () => env.engine.backend.listPartitions().map((p) => [p, env.engine.backend.count(p)]);

describe('json columns: a nesting limit checked on write', () => {
  it(`stores ${MAX_JSON_DEPTH} levels, reads and flushes them (SQLite's JSON functions included)`, async () => {
    docsTable();
    const store = env.engine.data.shared(DOCS);
    store.insertRow(SYSTEM_SUBJECT, { id: 1, body: nested(MAX_JSON_DEPTH) });
    const result = await runFlush(env.engine, { table: 'app.docs' }, testJobContext());
    expect(result.rows).toBe(1);
    expect(browseAll(env.engine, 'app.docs').map((r) => r.values.body)).toEqual([nested(MAX_JSON_DEPTH)]);
  });

  it('refuses one level more, and far more, with a VALIDATION error on the column; nothing is written', () => {
    docsTable();
    const store = env.engine.data.shared(DOCS);
    store.insertRow(SYSTEM_SUBJECT, { id: 1, body: [1] });
    const before = partitions();
    for (const depth of [MAX_JSON_DEPTH + 1, 1000, 100_000]) {
      const insert = expectError(() => store.insertRow(SYSTEM_SUBJECT, { id: 2, body: nested(depth) }), 'VALIDATION', ['body']);
      expect(issueOf(insert, 'body')).toBe(`nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep (the limit of a JSON value)`);
      expectError(() => store.updateRow(SYSTEM_SUBJECT, 1, { body: nested(depth) }), 'VALIDATION', ['body']);
      expectError(() => store.upsertRow(SYSTEM_SUBJECT, { id: 1, body: nested(depth) }), 'VALIDATION', ['body']);
    }
    expect(partitions()).toEqual(before);
    expect(store.getRow(SYSTEM_SUBJECT, 1)?.body).toEqual([1]);
  });

  it('refuses "__proto__" keys inside a value (they would silently vanish)', () => {
    docsTable();
    const store = env.engine.data.shared(DOCS);
    const e = expectError(() => store.insertRow(SYSTEM_SUBJECT, { id: 1, body: JSON.parse('{"a":[{"__proto__":{"admin":true}}]}') as unknown }), 'VALIDATION', [
      'body',
    ]);
    expect(issueOf(e, 'body')).toMatch(/"__proto__"/);
    expect(store.countRows(SYSTEM_SUBJECT)).toBe(0);
  });

  it('a json column default obeys the same limit (DDL)', () => {
    const table = (value: unknown) => ({
      namespace: 'app',
      name: 'defaults',
      type: 'shared' as const,
      columns: [
        { name: 'id', type: 'integer' as const, primary_key: true },
        { name: 'body', type: 'json' as const, default: value as never },
      ],
    });
    const e = expectError(() => env.engine.ddl.createTable(SYSTEM_SUBJECT, table(nested(MAX_JSON_DEPTH + 1))), 'VALIDATION');
    expect((e as { issues?: { field: string }[] }).issues?.[0]?.field).toBe('columns.1.default');
    expect(env.engine.system.tables.exists(tid('app.defaults'))).toBe(false);
    env.engine.ddl.createTable(SYSTEM_SUBJECT, table(nested(MAX_JSON_DEPTH)));
    expect(env.engine.data.shared(tid('app.defaults')).insertRow(SYSTEM_SUBJECT, { id: 1 }).body).toEqual(nested(MAX_JSON_DEPTH));
  });
});
