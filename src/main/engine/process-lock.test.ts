import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appLockPath, lockHolder, tryLock } from './process-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('process locks', () => {
  it('are taken, refused while their holder lives, and released', () => {
    const path = appLockPath(dir);
    const lock = tryLock(path);
    expect('release' in lock).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toBe(String(process.pid));
    // Held by another live process (the parent of this one stands in).
    writeFileSync(path, `${process.ppid}\n`);
    expect(tryLock(path)).toEqual({ heldBy: process.ppid });
    expect(lockHolder(path)).toBe(process.ppid);
    // Releasing never removes a lock someone else holds.
    if ('release' in lock) lock.release();
    expect(existsSync(path)).toBe(true);
  });

  it('of a dead holder are taken over', () => {
    const path = join(dir, 'locks', 'app.lock');
    mkdirSync(join(dir, 'locks'));
    writeFileSync(path, `${deadPid()}\n`);
    expect(lockHolder(path)).toBeUndefined();
    const lock = tryLock(path);
    expect('release' in lock).toBe(true);
    if ('release' in lock) lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('with garbage in the file are taken over', () => {
    const path = join(dir, 'app.lock');
    writeFileSync(path, 'not a pid');
    expect('release' in tryLock(path)).toBe(true);
  });
});
