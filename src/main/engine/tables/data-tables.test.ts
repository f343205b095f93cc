import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, as, expectError, SYSTEM_SUBJECT, testClock, testEngine, tid, todoTable } from './testing.test-support';

const dir = mkdtempSync(join(tmpdir(), 'kalam-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('engine.data', () => {
  it('opens one store per schema version and lists the data tables', () => {
    const engine = testEngine();
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'b'));
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'a'));
    const first = engine.data.open(tid('app.b'));
    expect(engine.data.open(tid('app.b'))).toBe(first);
    expect(engine.data.provider(tid('app.b')).store).toBe(first);
    // DDL elsewhere does not replace an unchanged table's store
    engine.ddl.alterTable(ADMIN, 'app.a', { action: 'set_options', comment: 'x' });
    expect(engine.data.open(tid('app.b'))).toBe(first);
    engine.ddl.alterTable(ADMIN, 'app.b', { action: 'set_options', comment: 'y' });
    expect(engine.data.open(tid('app.b'))).not.toBe(first);
    expect([...engine.data.list()].map((t) => `${t.namespace_id}.${t.table_name}`)).toEqual(['app.a', 'app.b']);
    engine.close();
  });

  it('refuses the wrong kind, unknown tables and system tables', () => {
    const engine = testEngine();
    engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'u'));
    expectError(() => engine.data.shared(tid('app.u')), 'VALIDATION');
    expectError(() => engine.data.stream(tid('app.u')), 'VALIDATION');
    expectError(() => engine.data.open(tid('app.nope')), 'NOT_FOUND');
    expectError(() => engine.data.open(tid('system.users')), 'NOT_FOUND');
    engine.close();
  });

  it('rows, tombstones and definitions survive a reopen', () => {
    const path = join(dir, 'reopen.sqlite');
    const clock = testClock();
    {
      const engine = testEngine(clock, path);
      engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'todos'));
      engine.ddl.alterTable(ADMIN, 'app.todos', { action: 'add_column', column: { name: 'prio', type: 'integer', default: 1 } });
      const store = engine.data.user(tid('app.todos'));
      store.insertRows(
        as('alice'),
        [1, 2, 3].map((id) => ({ id, title: `t${id}` })),
      );
      store.deleteRow(as('alice'), 2);
      engine.close();
    }
    const engine = testEngine(clock, path);
    const store = engine.data.user(tid('app.todos'));
    expect(store.schema.version).toBe(2);
    expect([...store.scanRows(as('alice'))].map(([, r]) => [r.id, r.prio])).toEqual([
      [1, 1],
      [3, 1],
    ]);
    expect(store.countRows(as('alice'))).toBe(2);
    engine.close();
  });
});
