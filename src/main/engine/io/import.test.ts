import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { EngineError } from '../errors';
import { testJobContext } from '../flush/testing/flush.test-support';
import { browseAll, useTestEngine } from '../flush/testing/test-engine.test-support';
import { JobCancelledError } from '../jobs/job-context';
import { addUsers, tid } from '../tables/testing.test-support';
import { runImport } from './import-job';
import { previewFile } from './import-source';
import { ADMIN_SUBJECT, createEveryType, importFrom } from './testing/io.test-support';

const env = useTestEngine('each');

function inFile(name: string, content: string | Buffer): string {
  const dir = join(env.data.dir, '..', `${env.data.dir.split('/').pop()}-in`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const rowsOf = (table: string) => browseAll(env.engine, table).map(({ values: { _seq, ...v } }) => (expect(typeof _seq).toBe('number'), v));
const reportOf = (path: string) => readFileSync(path, 'utf8');
const codeOf = async (p: Promise<unknown>) => {
  const e = await p.catch((x: unknown) => x);
  expect(e, String(e)).toBeInstanceOf(EngineError);
  return { code: (e as EngineError).code, message: (e as Error).message };
};

describe('import: CSV, JSON Lines, into an existing table', () => {
  it('reads typed values from CSV (null vs "" kept apart, ISO timestamps, JSON, base64)', async () => {
    createEveryType(env.engine, 'items');
    const file = inFile(
      'items.csv',
      'id,title,amount,done,at,meta,blob\r\n1,"a, b",1.5,true,2024-01-02T03:04:05.678Z,"{""k"":1}",AAEC\r\n2,"",,false,0,,\r\n3,,-2,1,1970-01-01,"[1]",""\r\n',
    );
    const r = await importFrom(env.engine, env.data.dir, 'app.items', file);
    expect(r).toMatchObject({ read: 3, inserted: 3, rejected: 0, format: 'csv' });
    expect(rowsOf('app.items')).toEqual([
      { id: 1, title: 'a, b', amount: 1.5, done: true, at: Date.UTC(2024, 0, 2, 3, 4, 5, 678), meta: { k: 1 }, blob: 'AAEC' },
      { id: 2, title: '', amount: null, done: false, at: 0, meta: null, blob: null },
      { id: 3, title: null, amount: -2, done: true, at: 0, meta: [1], blob: '' },
    ]);
    // One audit entry for the whole import.
    const audits = [...env.engine.system.auditLog.scan()].map(([, a]) => a).filter((a) => a.action === 'table.import');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ target: 'app.items', after: { file, inserted: 3, rejected: 0, on_error: 'abort', on_conflict: 'fail' } });
  });

  it('reads JSON Lines (and TSV), missing members take defaults', async () => {
    createEveryType(env.engine, 'items');
    const file = inFile('items.jsonl', '{"id":1,"title":"x","at":"2024-01-01T00:00:00.000Z","meta":{"a":[1]}}\n\n{"id":2,"done":true,"at":5}\n');
    expect(await importFrom(env.engine, env.data.dir, 'app.items', file)).toMatchObject({ inserted: 2, format: 'jsonl' });
    const tsv = inFile('more.tsv', 'id\ttitle\n3\twith, comma\n');
    expect(await importFrom(env.engine, env.data.dir, 'app.items', tsv)).toMatchObject({ inserted: 1, format: 'tsv' });
    expect(rowsOf('app.items').map((r) => [r.id, r.title, r.at, r.meta, r.done])).toEqual([
      [1, 'x', Date.UTC(2024, 0, 1), { a: [1] }, null],
      [2, null, 5, null, true],
      [3, 'with, comma', null, null, null],
    ]);
  });

  it('a malformed file under abort: exactly the expected report, and the table unchanged', async () => {
    createEveryType(env.engine, 'items');
    env.engine.data.shared(tid('app.items')).insertRows(SYSTEM_SUBJECT, [{ id: 7, title: 'before' }]);
    const file = inFile('bad.csv', 'id,title,amount,done\n1,ok,1,true\n2,ragged\n3,x,notanumber,true\nx,y,1,maybe\n7,dup,1,true\n5,ok,2,false\n');
    const e = await codeOf(importFrom(env.engine, env.data.dir, 'app.items', file));
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('3 rows rejected');
    expect(rowsOf('app.items')).toEqual([{ id: 7, title: 'before', amount: null, done: null, at: null, meta: null, blob: null }]);
    expect(reportOf(join(env.data.dir, 'import-reports', 'app.items.csv'))).toBe(
      [
        'line,column,value,reason',
        '3,,"2,ragged","has 2 fields, the header has 4"',
        '4,amount,notanumber,"""notanumber"" is not a number"',
        '5,id,x,"""x"" is not an integer"',
        '5,done,maybe,"""maybe"" is not true or false"',
        '',
      ].join('\r\n'),
    );
  });

  it('skip: good rows go in, rejected ones (bad values, key conflicts) are reported', async () => {
    createEveryType(env.engine, 'items');
    env.engine.data.shared(tid('app.items')).insertRows(SYSTEM_SUBJECT, [{ id: 7, title: 'before' }]);
    const file = inFile('bad.csv', 'id,title,amount\n1,ok,1\n2,bad,zz\n7,dup,1\n5,ok,2\n');
    const r = await importFrom(env.engine, env.data.dir, 'app.items', file, { on_error: 'skip' });
    expect(r).toMatchObject({ read: 4, inserted: 2, rejected: 2 });
    expect(rowsOf('app.items').map((x) => [x.id, x.title])).toEqual([
      [1, 'ok'],
      [5, 'ok'],
      [7, 'before'],
    ]);
    expect(r.first_rejected).toEqual([
      { line: 3, column: 'amount', value: 'zz', reason: '"zz" is not a number' },
      { line: 4, column: 'id', value: '7', reason: 'app.items: a row with key 7 already exists' },
    ]);
  });

  it('key conflicts: skip keeps the stored row, replace overwrites it (new _seq), fail under abort changes nothing', async () => {
    createEveryType(env.engine, 'items');
    const store = env.engine.data.shared(tid('app.items'));
    store.insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'old' }]);
    const seqBefore = store.getRow(SYSTEM_SUBJECT, 1)!._seq;
    const file = inFile('c.csv', 'id,title\n1,new\n2,two\n');
    expect(await codeOf(importFrom(env.engine, env.data.dir, 'app.items', file))).toMatchObject({ code: 'VALIDATION' });
    expect(rowsOf('app.items').map((x) => x.title)).toEqual(['old']);
    expect(await importFrom(env.engine, env.data.dir, 'app.items', file, { on_conflict: 'skip' })).toMatchObject({ inserted: 1, skipped: 1 });
    expect(rowsOf('app.items').map((x) => x.title)).toEqual(['old', 'two']);
    expect(await importFrom(env.engine, env.data.dir, 'app.items', file, { on_conflict: 'replace' })).toMatchObject({ inserted: 0, replaced: 2 });
    expect(rowsOf('app.items').map((x) => x.title)).toEqual(['new', 'two']);
    expect(store.getRow(SYSTEM_SUBJECT, 1)!._seq).toBeGreaterThan(seqBefore);
  });

  it('key conflicts deep in a large file (written in batches): only the conflicting rows are rejected or skipped, all or none under abort', async () => {
    createEveryType(env.engine, 'items');
    const store = env.engine.data.shared(tid('app.items'));
    store.insertRows(SYSTEM_SUBJECT, [{ id: 1_500, title: 'stored' }]);
    // ids 1..2500 on lines 2..2501, but id 1500 is stored and line 2201 repeats id 2150 (same batch).
    const ids = Array.from({ length: 2_500 }, (_, i) => (i === 2_199 ? 2_150 : i + 1));
    const file = inFile('many.csv', ['id,title', ...ids.map((id, i) => `${id},line ${i + 2}`)].join('\n'));
    const titles = () => new Map(rowsOf('app.items').map((r) => [r.id, r.title]));

    expect(await codeOf(importFrom(env.engine, env.data.dir, 'app.items', file))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('line 1501') as unknown,
    });
    expect([...titles()]).toEqual([[1_500, 'stored']]);

    const skipped = await importFrom(env.engine, env.data.dir, 'app.items', file, { on_error: 'skip' });
    expect(skipped).toMatchObject({ read: 2_500, inserted: 2_498, rejected: 2 });
    expect(skipped.first_rejected).toEqual([
      { line: 1_501, column: 'id', value: '1500', reason: 'app.items: a row with key 1500 already exists' },
      { line: 2_201, column: 'id', value: '2150', reason: 'app.items: a row with key 2150 already exists' },
    ]);
    const after = titles();
    expect(after.size).toBe(2_499);
    expect([after.get(1_499), after.get(1_500), after.get(1_501), after.get(2_150), after.get(2_200)]).toEqual([
      'line 1500',
      'stored',
      'line 1502',
      'line 2151',
      undefined,
    ]);

    // on_conflict skip: every row is there now, so the same file skips them all.
    expect(await importFrom(env.engine, env.data.dir, 'app.items', file, { on_conflict: 'skip' })).toMatchObject({ inserted: 0, skipped: 2_500, rejected: 0 });
    expect(titles()).toEqual(after);
  });

  it('user tables: the owner from a _user column or one fixed user; an unknown owner is rejected', async () => {
    addUsers(env.engine, 'alice', 'bob');
    createEveryType(env.engine, 'notes', 'user');
    const file = inFile('n.csv', '_user,id,title\nalice,1,a\nbob,1,b\nnobody,2,c\n');
    const r = await importFrom(env.engine, env.data.dir, 'app.notes', file, { on_error: 'skip' });
    expect(r).toMatchObject({ inserted: 2, rejected: 1 });
    expect(r.first_rejected[0]).toMatchObject({ line: 4 });
    const fixed = inFile('m.csv', 'id,title\n5,mine\n');
    expect(await importFrom(env.engine, env.data.dir, 'app.notes', fixed, { owner: 'bob' as never })).toMatchObject({ inserted: 1 });
    expect(browseAll(env.engine, 'app.notes').map((x) => [x.values._user, x.values.id])).toEqual([
      ['alice', 1],
      ['bob', 1],
      ['bob', 5],
    ]);
    expect(await codeOf(importFrom(env.engine, env.data.dir, 'app.notes', fixed))).toMatchObject({ code: 'VALIDATION' });
  });

  it('column mapping: skip, rename; --create infers types from the file', async () => {
    const file = inFile('p.csv', 'Key,Name,Price,When,Junk\n1,a,1.5,2024-01-01T00:00:00Z,x\n2,b,2,2024-01-02T00:00:00Z,y\n');
    const r = await importFrom(env.engine, env.data.dir, 'app.products', file, {
      create: { type: 'shared', primary_key: 'id' },
      mapping: [
        { source: 'Key', target: 'id' },
        { source: 'Name', target: 'name' },
        { source: 'Price', target: 'price' },
        { source: 'When', target: 'at' },
        { source: 'Junk', target: null },
      ],
    });
    expect(r).toMatchObject({ created: true, inserted: 2 });
    expect(env.engine.data.metadata(tid('app.products')).columns.map((c) => [c.name, c.type, c.primary_key])).toEqual([
      ['id', 'integer', true],
      ['name', 'text', false],
      ['price', 'double', false],
      ['at', 'timestamp', false],
    ]);
    expect(rowsOf('app.products')).toEqual([
      { id: 1, name: 'a', price: 1.5, at: Date.UTC(2024, 0, 1) },
      { id: 2, name: 'b', price: 2, at: Date.UTC(2024, 0, 2) },
    ]);
  });

  it('a failed --create import leaves no table behind', async () => {
    const file = inFile('p.csv', 'id,n\n1,1\n1,2\n');
    expect(await codeOf(importFrom(env.engine, env.data.dir, 'app.fresh', file, { create: { type: 'shared' } }))).toMatchObject({ code: 'VALIDATION' });
    expect([...env.engine.data.list()].map((m) => m.table_name)).not.toContain('fresh');
  });

  it('reports progress as it goes: records read, then rows written, with a rate', async () => {
    createEveryType(env.engine, 'items');
    const file = inFile('progress.csv', ['id,title', ...Array.from({ length: 5_000 }, (_, i) => `${i},t${i}`)].join('\n'));
    const ctx = testJobContext();
    const params = { table: 'app.items', file, subject: ADMIN_SUBJECT, report: join(env.data.dir, 'import-reports', 'p.csv') };
    await runImport(env.engine, params, ctx);
    const phases = ctx.progress.map((p) => [p.phase, p.done]);
    expect(phases).toEqual([
      ['reading', 2_000],
      ['reading', 4_000],
      ['writing', 2_000],
      ['writing', 4_000],
      ['done', 5_000],
    ]);
    expect(ctx.progress.every((p) => p.rate! > 0)).toBe(true);
  });

  it('a cancel during the import leaves the table unchanged', async () => {
    createEveryType(env.engine, 'items');
    const lines = ['id,title', ...Array.from({ length: 20_000 }, (_, i) => `${i},t${i}`)].join('\n');
    const file = inFile('big.csv', lines);
    const ctx = testJobContext((p, c) => {
      if (p.phase === 'writing' && p.done >= 10_000) c.cancel();
    });
    const params = { table: 'app.items', file, subject: ADMIN_SUBJECT, report: join(env.data.dir, 'import-reports', 'x.csv') };
    await expect(runImport(env.engine, params, ctx)).rejects.toBeInstanceOf(JobCancelledError);
    expect(env.engine.data.provider(tid('app.items')).count(SYSTEM_SUBJECT)).toBe(0);
    expect(existsSync(`${params.report}.spool`)).toBe(false);
  });
});

describe('import: files that cannot be imported get a clear error and write nothing', () => {
  const cases: [string, string | Buffer, string, RegExp][] = [
    ['empty.csv', '', 'VALIDATION', /is empty/],
    ['binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2]), 'VALIDATION', /looks binary/],
    ['latin1.csv', Buffer.concat([Buffer.from('id,title\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]), 'VALIDATION', /not UTF-8/],
    ['quote.csv', 'id,title\n1,"never closed\n2,x\n', 'VALIDATION', /quote|Quote/],
    ['header.csv', 'id,id\n1,2\n', 'VALIDATION', /twice/],
    ['fake.parquet', 'id,title\n1,x\n', 'VALIDATION', /not a Parquet file/],
  ];
  for (const [name, content, code, message] of cases) {
    it(name, async () => {
      createEveryType(env.engine, 'items');
      const file = inFile(name, content);
      const e = await codeOf(importFrom(env.engine, env.data.dir, 'app.items', file));
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(env.engine.data.provider(tid('app.items')).count(SYSTEM_SUBJECT)).toBe(0);
    });
  }

  it('a missing file is NOT_FOUND', async () => {
    createEveryType(env.engine, 'items');
    expect(await codeOf(importFrom(env.engine, env.data.dir, 'app.items', '/nonexistent/x.csv'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a huge single field is capped', async () => {
    createEveryType(env.engine, 'items');
    const file = inFile('huge.csv', `id,title\n1,"${'x'.repeat(17 * 1024 * 1024)}"\n`);
    const e = await codeOf(importFrom(env.engine, env.data.dir, 'app.items', file));
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect(e.message).toMatch(/longer than 16,777,216 characters/);
  });
});

describe('preview', () => {
  it('detects the format and delimiter, infers column types, shows the first rows', async () => {
    const file = inFile('x.txt', 'id;name;price;ok;at;doc\n1;a;1.5;true;2024-01-01T00:00:00Z;"{""a"":1}"\n2;;2;false;2024-01-02;[1]\n');
    const p = await previewFile(file, {});
    expect(p).toMatchObject({ format: 'csv', delimiter: ';', sampled: 2 });
    expect(p.columns).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'text', nullable: true },
      { name: 'price', type: 'double', nullable: false },
      { name: 'ok', type: 'boolean', nullable: false },
      { name: 'at', type: 'timestamp', nullable: false },
      { name: 'doc', type: 'json', nullable: false },
    ]);
    expect(p.rows[1]).toEqual(['2', null, '2', 'false', '2024-01-02', '[1]']);
  });
});
