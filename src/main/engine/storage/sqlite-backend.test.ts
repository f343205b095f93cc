import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteBackend } from './sqlite-backend';
import { describeBackendConformance } from './testing/backend-conformance';

const dir = mkdtempSync(join(tmpdir(), 'kalam-backend-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeBackendConformance('SQLite in memory', { create: () => new SqliteBackend(':memory:') });

describeBackendConformance('SQLite on disk (WAL)', {
  create: () => new SqliteBackend(join(dir, `db-${n++}.sqlite`)),
  reopen: (backend) => {
    const path = (backend as SqliteBackend).path;
    backend.close();
    return new SqliteBackend(path);
  },
});

describe('SqliteBackend specifics', () => {
  it('opens on-disk databases in WAL mode', () => {
    const b = new SqliteBackend(join(dir, 'wal.sqlite'));
    expect(b.db.pragma('journal_mode', { simple: true })).toBe('wal');
    b.close();
  });

  it('names the path when a database cannot be opened', () => {
    expect(() => new SqliteBackend(join(dir, 'missing-dir', 'x.sqlite'))).toThrow(/cannot open database at .*missing-dir/);
  });
});
