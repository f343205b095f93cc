import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageError } from '../storage-backend';
import { SqliteBackend } from './sqlite-backend';
import { holdWriteLock } from './sqlite.test-support';
import { describeBackendConformance } from '../testing/backend-conformance';

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

  it('declares what a file has and an in-memory database lacks', async () => {
    const file = new SqliteBackend(join(dir, 'caps.sqlite'));
    const memory = new SqliteBackend(':memory:');
    expect(file.supports).toEqual({ rangeDelete: true, snapshot: true, persistence: true });
    expect(memory.supports).toEqual({ rangeDelete: true, snapshot: false, persistence: false });
    await expect(memory.snapshotTo(join(dir, 'never.sqlite'))).rejects.toThrow(StorageError);
    expect(existsSync(join(dir, 'never.sqlite'))).toBe(false);
    file.close();
    memory.close();
  });

  it('reads in one snapshot while another connection commits, without taking the write lock', () => {
    const path = join(dir, 'snapshot-read.sqlite');
    const reader = new SqliteBackend(path);
    const k = (n: number) => Uint8Array.of(n);
    const v = (bytes: Uint8Array | undefined) => (bytes ? [...bytes] : undefined);
    reader.createPartition('p');
    reader.put('p', k(1), k(10));
    const writer = new SqliteBackend(path);
    const seen = reader.readSnapshot(() => {
      const first = v(reader.get('p', k(1)));
      // Another connection commits meanwhile (it would wait for a write lock, and fail after the busy timeout).
      writer.put('p', k(1), k(11));
      writer.put('p', k(2), k(20));
      return { first, again: v(reader.get('p', k(1))), added: [...reader.scan('p')].length };
    });
    expect(seen).toEqual({ first: [10], again: [10], added: 1 });
    // After it, the commits are seen.
    expect(v(reader.get('p', k(1)))).toEqual([11]);
    expect([...reader.scan('p')]).toHaveLength(2);
    writer.close();
    reader.close();
  });

  it('reports its SQLite version and a sound database as ["ok"]', () => {
    const b = new SqliteBackend(':memory:');
    expect(b.sqliteVersion()).toMatch(/^3\.\d+\.\d+$/);
    expect(b.integrityCheck()).toEqual(['ok']);
    expect(b.open).toBe(true);
    b.close();
    expect(b.open).toBe(false);
  });

  describe('withSettings', () => {
    it('changes settings for the call only, also when it throws or returns a promise', async () => {
      const b = new SqliteBackend(join(dir, 'settings.sqlite'), { busyTimeoutMs: 1234, mmapMb: 8, cacheMb: 16 });
      expect(b.settings()).toEqual({ busyTimeoutMs: 1234, mmapMb: 8, cacheMb: 16 });
      expect(b.withSettings({ busyTimeoutMs: 0 }, () => b.settings())).toEqual({ busyTimeoutMs: 0, mmapMb: 8, cacheMb: 16 });
      expect(b.withSettings({ cacheMb: 2, mmapMb: 0 }, () => b.settings())).toEqual({ busyTimeoutMs: 1234, mmapMb: 0, cacheMb: 2 });
      expect(b.settings()).toEqual({ busyTimeoutMs: 1234, mmapMb: 8, cacheMb: 16 });
      expect(() =>
        b.withSettings({ mmapMb: 0 }, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(b.settings().mmapMb).toBe(8);
      let release!: () => void;
      const running = b.withSettings({ mmapMb: 0 }, () => new Promise<void>((resolve) => (release = resolve)));
      // Still in force while the promise is pending, put back once it settles.
      expect(b.settings().mmapMb).toBe(0);
      release();
      await running;
      expect(b.settings().mmapMb).toBe(8);
      await expect(b.withSettings({ busyTimeoutMs: 1 }, () => Promise.reject(new Error('later')))).rejects.toThrow('later');
      expect(b.settings().busyTimeoutMs).toBe(1234);
      b.close();
    });

    it("makes a write fail at once instead of waiting for another connection's lock", () => {
      const path = join(dir, 'busy.sqlite');
      const b = new SqliteBackend(path, { busyTimeoutMs: 60_000 });
      b.createPartition('p');
      const lock = holdWriteLock(path);
      try {
        expect(() => b.withSettings({ busyTimeoutMs: 0 }, () => b.put('p', Buffer.from('k'), Buffer.from('v')))).toThrow(
          expect.objectContaining({ code: 'SQLITE_BUSY' }) as Error,
        );
      } finally {
        lock.release();
      }
      b.put('p', Buffer.from('k'), Buffer.from('v'));
      expect(b.count('p')).toBe(1);
      b.close();
    });
  });

  describe('withAttached', () => {
    it("copies partitions of another database file over this one's, record for record", () => {
      const source = new SqliteBackend(join(dir, 'source.sqlite'));
      source.createPartition('a');
      source.createPartition('b');
      source.batch([
        { type: 'put', partition: 'a', key: Buffer.from('1'), value: Buffer.from('one') },
        { type: 'put', partition: 'b', key: Buffer.from('2'), value: Buffer.from('two') },
      ]);
      source.close();
      const target = new SqliteBackend(join(dir, 'target.sqlite'));
      target.createPartition('a');
      target.put('a', Buffer.from('old'), Buffer.from('gone'));
      const listed = target.withAttached(join(dir, 'source.sqlite'), (attached) =>
        target.transaction(() => {
          for (const name of attached.listPartitions()) attached.copyPartition(name);
          return attached.listPartitions();
        }),
      );
      expect(listed).toEqual(['a', 'b']);
      expect(target.listPartitions()).toEqual(['a', 'b']);
      expect([...target.scan('a')].map(([k, v]) => `${Buffer.from(k).toString()}=${Buffer.from(v).toString()}`)).toEqual(['1=one']);
      expect(Buffer.from(target.get('b', Buffer.from('2'))!).toString()).toBe('two');
      // Detached afterwards: the same file attaches again.
      expect(target.withAttached(join(dir, 'source.sqlite'), (attached) => attached.listPartitions())).toEqual(['a', 'b']);
      target.close();
    });
  });
});
