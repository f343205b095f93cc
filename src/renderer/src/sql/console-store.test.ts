import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addTab,
  closeTab,
  deleteSavedQuery,
  HISTORY_LIMIT,
  HISTORY_SQL_LIMIT,
  HISTORY_TOTAL_SQL_LIMIT,
  type HistoryEntry,
  initialState,
  loadState,
  persistState,
  recordRuns,
  saveQuery,
  searchHistory,
  selectTab,
  setTabSql,
} from './console-store';

const run = (sql: string, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: sql,
  at: '2026-12-07T08:00:00.000Z',
  sql,
  durationMs: 3,
  rows: 1,
  moreRows: false,
  subject: 'admin',
  error: null,
  ...over,
});

describe('tabs', () => {
  it('adds tabs with fresh titles, selects and closes them, always keeping one', () => {
    let s = initialState();
    s = addTab(s);
    s = addTab(s, 'SELECT 1');
    expect(s.tabs.map((t) => t.title)).toEqual(['Query 1', 'Query 2', 'Query 3']);
    expect(s.activeTab).toBe(s.tabs[2]!.id);
    const [first, second, third] = s.tabs;
    s = selectTab(s, second!.id);
    s = closeTab(s, second!.id);
    expect(s.tabs.map((t) => t.id)).toEqual([first!.id, third!.id]);
    expect(s.activeTab).toBe(third!.id); // the neighbour that took its place
    s = addTab(s);
    expect(s.tabs.at(-1)!.title).toBe('Query 2'); // the freed name
    s = closeTab(closeTab(closeTab(s, s.tabs[0]!.id), s.tabs[1]!.id), s.tabs[2]!.id);
    expect(s.tabs).toHaveLength(1);
    s = setTabSql(s, s.tabs[0]!.id, 'SELECT 2');
    s = closeTab(s, s.tabs[0]!.id);
    expect(s.tabs).toHaveLength(1);
    expect(s.tabs[0]!.sql).toBe('');
  });
});

describe('storage', () => {
  /** A localStorage of a Map (the tests run in Node). */
  function fakeStorage(): Map<string, string> {
    const items = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    });
    return items;
  }
  afterEach(() => vi.unstubAllGlobals());

  it('keeps each part per data directory and writes only the parts that changed', () => {
    const items = fakeStorage();
    const start = initialState();
    let s = setTabSql(addTab(start, 'x'), start.activeTab, 'SELECT 0');
    persistState('/d1', start, s);
    expect([...items.keys()]).toEqual(['kalam.sql.tabs./d1']);
    const before = s;
    s = recordRuns(saveQuery(s, 'n', 'SELECT 1'), [run('SELECT 1')]);
    items.delete('kalam.sql.tabs./d1');
    persistState('/d1', before, s);
    expect([...items.keys()].sort()).toEqual(['kalam.sql.history./d1', 'kalam.sql.saved./d1']);
    persistState('/d1', initialState(), s);
    expect(loadState('/d1')).toEqual(s);
    // Another data directory has its own console.
    expect(loadState('/d2').tabs.map((t) => t.title)).toEqual(['Query 1']);
  });

  it('starts afresh, part by part, from what is not a console state', () => {
    const items = fakeStorage();
    const s = recordRuns(saveQuery(addTab(initialState(), 'SELECT 5'), 'n', 'SELECT 1'), [run('SELECT 1')]);
    persistState('/d', initialState(), s);
    items.set('kalam.sql.history./d', JSON.stringify([{ nope: 1 }]));
    const loaded = loadState('/d');
    expect(loaded.history).toEqual([]);
    expect(loaded.saved).toEqual(s.saved);
    expect(loaded.tabs).toEqual(s.tabs);
    items.set('kalam.sql.tabs./d', JSON.stringify({ tabs: [], activeTab: 'a' }));
    expect(loadState('/d').tabs.map((t) => t.title)).toEqual(['Query 1']);
    items.set('kalam.sql.tabs./d', JSON.stringify({ tabs: s.tabs, activeTab: 'gone', timeoutMs: 5000 }));
    expect(loadState('/d')).toMatchObject({ activeTab: s.tabs[0]!.id, timeoutMs: 5000 });
    items.set('kalam.sql.tabs./d', JSON.stringify({ tabs: s.tabs, activeTab: 'gone', timeoutMs: -5 }));
    expect(loadState('/d').tabs.map((t) => t.title)).toEqual(['Query 1']);
  });
});

describe('history', () => {
  it('keeps runs newest first, up to the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(), { maxLength: 40 }), { maxLength: 30 }), (batches) => {
        let s = initialState();
        let all: HistoryEntry[] = [];
        for (const batch of batches) {
          const entries = batch.map((n) => run(`SELECT ${n}`));
          s = recordRuns(s, entries);
          all = [...all, ...entries];
        }
        expect(s.history).toEqual(all.reverse().slice(0, HISTORY_LIMIT));
      }),
      { numRuns: 30 },
    );
    const big = recordRuns(
      initialState(),
      Array.from({ length: HISTORY_LIMIT + 7 }, (_, i) => run(`SELECT ${i}`)),
    );
    expect(big.history).toHaveLength(HISTORY_LIMIT);
    expect(big.history[0]!.sql).toBe(`SELECT ${HISTORY_LIMIT + 6}`);
    // A huge script is kept cut short.
    const long = recordRuns(initialState(), [run(`SELECT '${'x'.repeat(HISTORY_SQL_LIMIT)}'`)]);
    expect(long.history[0]!.sql).toHaveLength(HISTORY_SQL_LIMIT + 1);
    expect(long.history[0]!.sql.endsWith('…')).toBe(true);
  });

  it('keeps at most HISTORY_TOTAL_SQL_LIMIT of script text, dropping the oldest runs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: HISTORY_SQL_LIMIT }), { minLength: 1, maxLength: 150 }), (sizes) => {
        const entries = sizes.map((n, i) => run(`${i}`.padEnd(n, 'x')));
        const s = recordRuns(initialState(), entries);
        const total = s.history.reduce((sum, e) => sum + e.sql.length, 0);
        expect(total).toBeLessThanOrEqual(HISTORY_TOTAL_SQL_LIMIT);
        // The newest runs, in order, as many as fit: the next older one would not have.
        expect(s.history).toEqual(entries.slice(entries.length - s.history.length).reverse());
        const older = entries[entries.length - s.history.length - 1];
        if (older) expect(total + older.sql.length).toBeGreaterThan(HISTORY_TOTAL_SQL_LIMIT);
      }),
      { numRuns: 30 },
    );
  });

  it('searches SQL, subject and error by every word, in any case', () => {
    const history = [
      run('SELECT * FROM demo.notes', { subject: 'alice (user)' }),
      run('DELETE FROM demo.products', { error: 'ACCESS_DENIED: no' }),
      run('select count(*) from demo.notes'),
    ];
    expect(searchHistory(history, 'NOTES').map((h) => h.sql)).toEqual(['SELECT * FROM demo.notes', 'select count(*) from demo.notes']);
    expect(searchHistory(history, 'notes alice')).toEqual([history[0]]);
    expect(searchHistory(history, 'denied')).toEqual([history[1]]);
    expect(searchHistory(history, '  ')).toEqual(history);
  });
});

describe('saved queries', () => {
  it('saves by name (replacing one of the same name), sorted, and deletes', () => {
    let s = saveQuery(initialState(), 'b', 'SELECT 2');
    s = saveQuery(s, 'a', 'SELECT 1');
    s = saveQuery(s, 'b', 'SELECT 3');
    expect(s.saved.map((q) => [q.name, q.sql])).toEqual([
      ['a', 'SELECT 1'],
      ['b', 'SELECT 3'],
    ]);
    s = deleteSavedQuery(s, s.saved[0]!.id);
    expect(s.saved.map((q) => q.name)).toEqual(['b']);
  });
});
