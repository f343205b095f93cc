import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine';
import { ADMIN, as, SYSTEM_SUBJECT, testClock, testEngine, tid, todoTable } from '../tables/testing.test-support';

let dir: string;
let app: Engine;
let cli: Engine;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-external-'));
  const path = join(dir, 'kalam.sqlite');
  app = testEngine(testClock(), path);
  cli = testEngine(testClock(), path);
});
afterEach(() => {
  cli.close();
  app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ExternalCatalogWatch', () => {
  it('says nothing while no one changes the catalog, also after plain row writes elsewhere', () => {
    expect(app.externalCatalog.check()).toBe(false);
    cli.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'before'));
    expect(app.externalCatalog.check()).toBe(true);
    cli.data.shared(tid('app.before')).insertRow(ADMIN, { id: 1, title: 'row' });
    expect(app.externalCatalog.check()).toBe(false);
  });

  it("notices another connection's new table and namespace; the new table is readable at once", () => {
    // The app has looked at the catalog (and cached the partition list) before the CLI runs.
    expect(app.system.tables.count()).toBe(0);
    cli.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'sales' });
    expect(app.externalCatalog.check()).toBe(true);
    cli.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', 'notes'));
    cli.data.user(tid('app.notes')).insertRow(as('u1'), { id: 7, title: 'from the cli' });
    expect(app.externalCatalog.check()).toBe(true);
    expect(app.data.user(tid('app.notes')).countRows(ADMIN)).toBe(1);
    expect(app.externalCatalog.check()).toBe(false);
  });

  it('notices a table dropped elsewhere, and forgets its cached store', () => {
    cli.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', 'gone'));
    app.externalCatalog.check();
    expect(app.data.shared(tid('app.gone')).countRows(ADMIN)).toBe(0);
    cli.ddl.dropTable(SYSTEM_SUBJECT, 'app.gone');
    expect(app.externalCatalog.check()).toBe(true);
    expect(() => app.data.shared(tid('app.gone'))).toThrow(/not found|does not exist|no table/i);
  });
});
