import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBackend } from './sqlite-backend';

const root = mkdtempSync(join(tmpdir(), 'kalam-snapshot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const VALUE_BYTES = 8192;
/** 5,000 rows of 8 KiB: about 40 MB, so a copy takes at least three steps of 4,096 pages. */
const ROWS = 5000;

const key = (i: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(i));
  return b;
};

function fill(backend: SqliteBackend, rows: number): void {
  for (let from = 0; from < rows; from += 1000) {
    backend.batch(
      Array.from({ length: Math.min(1000, rows - from) }, (_, i) => {
        const value = Buffer.alloc(VALUE_BYTES, from + i);
        value.writeUInt32LE(from + i);
        return { type: 'put' as const, partition: 'blobs', key: key(from + i), value };
      }),
    );
  }
}

/** Built once; each test works on a copy (closing the builder folds its WAL into the file). */
const template = join(root, 'template.sqlite');
beforeAll(() => {
  const builder = new SqliteBackend(template);
  builder.createPartition('blobs');
  builder.createPartition('writes');
  fill(builder, ROWS);
  builder.close();
});

let dir: string;
let live: SqliteBackend;
/** A second connection to the same file, as the app's is beside a job worker's. */
let other: SqliteBackend;

beforeEach(() => {
  dir = mkdtempSync(join(root, 'case-'));
  copyFileSync(template, join(dir, 'live.sqlite'));
  live = new SqliteBackend(join(dir, 'live.sqlite'));
  other = new SqliteBackend(live.path);
});

afterEach(() => {
  other.close();
  live.close();
});

describe('SqliteBackend.snapshotTo', () => {
  it('is neither restarted nor reached by a write of another connection between every two steps', async () => {
    const copyPath = join(dir, 'copy.sqlite');
    let written = 0;
    const reports: [number, number][] = [];
    await live.snapshotTo(copyPath, (copied, total) => {
      reports.push([copied, total]);
      other.put('writes', key(++written), Buffer.from('during the copy'));
    });

    const total = reports[0]![1];
    expect(total).toBeGreaterThan(ROWS * VALUE_BYTES);
    // Start, at least three steps, end; never backwards (a restart would start over at 0).
    expect(reports.length).toBeGreaterThanOrEqual(5);
    const copied = reports.map(([c]) => c);
    expect(copied).toEqual([...copied].sort((a, b) => a - b));
    expect(reports.every(([, t]) => t === total)).toBe(true);
    expect(copied.at(-1)).toBe(total);

    const copy = new SqliteBackend(copyPath, { readonly: true });
    try {
      expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(copy.count('blobs')).toBe(ROWS);
      // The database as of the copy's start: none of the writes made while it ran.
      expect(copy.count('writes')).toBe(0);
    } finally {
      copy.close();
    }
    expect(live.count('writes')).toBe(written);
  });

  it('control: the same writes make a plain online backup start over', async () => {
    let restarted = false;
    let last = 0;
    let n = 0;
    await expect(
      live.db.backup(join(dir, 'plain.sqlite'), {
        progress: ({ totalPages, remainingPages }) => {
          const done = totalPages - remainingPages;
          // A restarted step copies the first pages again: no progress past the previous step.
          if (done > 0 && done <= last) {
            restarted = true;
            throw new Error('restarted');
          }
          last = done;
          other.put('writes', key(++n), Buffer.from('during the copy'));
          return 4096;
        },
      }),
    ).rejects.toThrow('restarted');
    expect(restarted).toBe(true);
  });

  it('stops when its callback throws, leaving the connection usable', async () => {
    const copyPath = join(dir, 'stopped.sqlite');
    let calls = 0;
    await expect(
      live.snapshotTo(copyPath, () => {
        if (++calls === 2) throw new Error('stop here');
      }),
    ).rejects.toThrow('stop here');
    // The copy's read transaction ended with it: writers and checkpoints go on.
    other.put('writes', key(1), Buffer.from('after'));
    expect(Number(other.db.pragma('wal_checkpoint(TRUNCATE)', { simple: true }))).toBe(0);
    expect(live.count('writes')).toBe(1);
  });

  it('refuses to write over an existing file', async () => {
    const existing = join(dir, 'existing.sqlite');
    writeFileSync(existing, 'not to be overwritten');
    await expect(live.snapshotTo(existing)).rejects.toThrow(/EEXIST/);
    expect(statSync(existing).size).toBe('not to be overwritten'.length);
  });
});
