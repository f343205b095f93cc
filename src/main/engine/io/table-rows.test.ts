import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { SYSTEM_SUBJECT } from '../access/subject';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { addUsers, as, tid, todoTable, uid } from '../tables/testing.test-support';
import { tablePages, tableProvider } from './table-rows';

const env = useTestEngine('each');
const N = 2000;
const todo = (id: number) => ({ id, title: `t${id}`, done: id % 3 === 0, note: id % 4 === 0 ? null : `n${id}` });

/** Every row as the grid pages it: the oracle of the one-scan export source. */
function paged(table: string, subject = SYSTEM_SUBJECT): Record<string, unknown>[] {
  const provider = tableProvider(env.engine, table);
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page = provider.browse(subject, { limit: 1000, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.next;
  } while (cursor !== undefined);
  return rows.map((r) => r.values);
}

describe('the export source: a table in key order, in batches of one merged scan', () => {
  it('hot only, flushed only, and both with edits and deletes: the rows the grid pages, in key order', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'items', { access_level: 'public' }));
    const store = env.engine.data.shared(tid('app.items'));
    store.insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: N }, (_, i) => todo(i + 1)),
    );
    const read = () => [...tablePages(tableProvider(env.engine, 'app.items'), SYSTEM_SUBJECT)];
    const hot = read();
    expect(hot.length).toBeGreaterThan(1);
    expect(hot.flat()).toEqual(paged('app.items'));
    expect(hot.flat().map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => i + 1));

    await runFlush(env.engine, { table: 'app.items' }, testJobContext());
    expect(read().flat()).toEqual(paged('app.items'));

    store.updateRow(SYSTEM_SUBJECT, 10, { title: 'edited' });
    store.deleteRow(SYSTEM_SUBJECT, 20);
    store.insertRows(SYSTEM_SUBJECT, [todo(N + 5)]);
    const merged = read().flat();
    expect(merged).toEqual(paged('app.items'));
    expect(merged.length).toBe(N);
    expect(merged.find((r) => r.id === 10)?.title).toBe('edited');
    expect(merged.some((r) => r.id === 20)).toBe(false);
  });

  it('a flush committing between two batches of a hot scan: every row once, in key order, with its newest version', async () => {
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'items', { access_level: 'public' }));
    const store = env.engine.data.shared(tid('app.items'));
    store.insertRows(
      SYSTEM_SUBJECT,
      Array.from({ length: N }, (_, i) => todo(i + 1)),
    );
    const pages = tablePages(tableProvider(env.engine, 'app.items'), SYSTEM_SUBJECT);
    const first = pages.next();
    expect(first.done).toBe(false);
    const seen = first.value as Record<string, unknown>[];
    expect(seen.length).toBeLessThan(N);
    // The flush moves every hot row into a segment and evicts them; then a row past the first batch changes.
    await runFlush(env.engine, { table: 'app.items' }, testJobContext());
    expect(store.countHot()).toBe(0);
    store.updateRow(SYSTEM_SUBJECT, N - 1, { title: 'after the flush' });
    const rest = [...{ [Symbol.iterator]: () => pages }].flat();
    const all = [...seen, ...rest];
    expect(all.map((r) => r.id)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(all.find((r) => r.id === N - 1)?.title).toBe('after the flush');
  });

  it('user tables: every owner in _user (admin), one user its own rows only, hot and flushed', async () => {
    addUsers(env.engine, 'alice', 'bob');
    env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'mine'));
    const store = env.engine.data.user(tid('app.mine'));
    for (const user of ['alice', 'bob']) {
      store.insertRows(
        SYSTEM_SUBJECT,
        Array.from({ length: 300 }, (_, i) => todo(i + 1)),
        { user: uid(user) },
      );
    }
    await runFlush(env.engine, { table: 'app.mine' }, testJobContext());
    store.insertRows(SYSTEM_SUBJECT, [todo(301)], { user: uid('bob') });
    const all = [...tablePages(tableProvider(env.engine, 'app.mine'), SYSTEM_SUBJECT)].flat();
    expect(all).toEqual(paged('app.mine'));
    expect(all.filter((r) => r._user === 'alice').length).toBe(300);
    expect(all.filter((r) => r._user === 'bob').length).toBe(301);
    const bob = [...tablePages(tableProvider(env.engine, 'app.mine'), as('bob'))].flat();
    expect(bob).toEqual(paged('app.mine', as('bob')));
    expect(bob.every((r) => r._user === 'bob')).toBe(true);
    expect(bob.length).toBe(301);
  });
});
