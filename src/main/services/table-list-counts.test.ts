import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Subject } from '../engine/access/subject';
import type { TableProvider } from '../engine/provider/table-provider';
import { ADMIN, as, SYSTEM_SUBJECT, testClock, testEngine, tid, todoTable } from '../engine/tables/testing.test-support';
import { TableListCounts } from './table-list-counts';

describe('tables.list counts', () => {
  it('are taken again after any commit, by this connection or another, per subject; stream tables at each call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kalam-list-counts-'));
    const clock = testClock();
    const app = testEngine(clock, join(dir, 'kalam.sqlite'));
    const cli = testEngine(clock, join(dir, 'kalam.sqlite'));
    try {
      app.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'todos'));
      app.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'notes'));
      app.ddl.createTable(SYSTEM_SUBJECT, todoTable('stream', 'events'));
      app.data.shared(tid('app.todos')).insertRows(SYSTEM_SUBJECT, [{ id: 1, title: 'a' }]);
      app.data.user(tid('app.notes')).insertRows(as('alice'), [{ id: 1, title: 'a' }]);
      app.data.user(tid('app.notes')).insertRows(as('bob'), [{ id: 1, title: 'b' }]);
      app.data.stream(tid('app.events')).appendRows(as('alice'), [{ id: 1, title: 'e' }]);

      const counts = new TableListCounts(app);
      let counted = 0;
      // The real provider, its counts tallied.
      const tallied = (table: string): TableProvider => {
        const provider = app.data.provider(tid(table));
        return { count: (s: Subject, cap?: number) => (counted++, provider.count(s, cap)) } as TableProvider;
      };
      const count = (table: string, kind: string, subject: Subject = ADMIN) => counts.count(subject, table, kind, tallied(table), 10_000);

      expect(count('app.todos', 'shared')).toBe(1);
      expect(count('app.todos', 'shared')).toBe(1);
      expect(counted).toBe(1);

      // This connection's write, then another connection's (a job worker, the CLI).
      app.data.shared(tid('app.todos')).insertRows(SYSTEM_SUBJECT, [{ id: 2, title: 'b' }]);
      expect(count('app.todos', 'shared')).toBe(2);
      cli.data.shared(tid('app.todos')).deleteRow(SYSTEM_SUBJECT, 1);
      expect(count('app.todos', 'shared')).toBe(1);
      expect(counted).toBe(3);

      // Each subject its own count: a user sees their rows.
      expect(count('app.notes', 'user')).toBe(2);
      expect(count('app.notes', 'user', as('alice'))).toBe(1);
      cli.data.user(tid('app.notes')).insertRows(as('alice'), [{ id: 2, title: 'c' }]);
      expect(count('app.notes', 'user', as('alice'))).toBe(2);
      expect(count('app.notes', 'user')).toBe(3);

      // A stream's rows expire without a commit: counted at each call.
      expect(count('app.events', 'stream')).toBe(1);
      clock.advance(61_000);
      expect(count('app.events', 'stream')).toBe(0);
    } finally {
      cli.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
