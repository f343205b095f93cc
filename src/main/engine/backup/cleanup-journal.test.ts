import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine';
import { CLEANUP_PARTITION, CleanupJournal, recoverBackupRestore, recoverWorkerThread } from './cleanup-journal';

let dir: string;
let engine: Engine;
let journal: CleanupJournal;
const encoder = new TextEncoder();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kalam-cleanup-'));
  engine = Engine.openDataDir(dir);
  journal = new CleanupJournal(engine.backend);
});
afterEach(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A file, and a journal entry naming it as recorded by `thread` of `pid`. */
function leftover(id: string, pid: number, thread: number | undefined): string {
  const path = join(dir, `${id}.part`);
  writeFileSync(path, 'partial');
  const entry = { pid, ...(thread === undefined ? {} : { thread }), created_at: 0, paths: [path] };
  engine.backend.put(CLEANUP_PARTITION, encoder.encode(id), encoder.encode(JSON.stringify(entry)));
  return path;
}

const ids = () => [...journal.entries()].map(([id]) => id).sort();

describe('the cleanup journal', () => {
  it('records the thread that wrote an entry', () => {
    journal.set('mine', ['/x'], 1);
    expect([...journal.entries()]).toEqual([['mine', { pid: process.pid, thread: threadId, created_at: 1, paths: ['/x'] }]]);
  });

  it("recoverWorkerThread removes only that thread's leftovers, at once, in a live process", async () => {
    const lost = leftover('lost', process.pid, threadId + 1000);
    const other = leftover('other-thread', process.pid, threadId + 1001);
    const older = leftover('earlier-version', process.pid, undefined);
    const main = leftover('this-thread', process.pid, threadId);
    engine.backend.put(CLEANUP_PARTITION, encoder.encode('unreadable'), encoder.encode('{not json'));

    expect(await recoverWorkerThread(engine, threadId + 1000)).toEqual([lost]);
    expect(existsSync(lost)).toBe(false);
    for (const kept of [other, older, main]) expect(existsSync(kept)).toBe(true);
    // An entry it cannot read is not known to be the thread's: it waits for the next start.
    expect(ids()).toEqual(['earlier-version', 'other-thread', 'this-thread', 'unreadable']);
    expect(await recoverWorkerThread(engine, threadId + 1000)).toEqual([]);
  });

  it("recoverBackupRestore (at start) leaves a live process's entries, whatever their thread, and drops unreadable ones", async () => {
    const live = leftover('live', process.pid, threadId + 1000);
    engine.backend.put(CLEANUP_PARTITION, encoder.encode('unreadable'), encoder.encode('{not json'));
    expect(await recoverBackupRestore(engine)).toEqual([]);
    expect(existsSync(live)).toBe(true);
    expect(ids()).toEqual(['live']);
  });
});
