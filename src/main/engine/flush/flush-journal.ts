import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type TableId, TableIdKey } from '../../../shared/keys/table-id';
import type { Storage } from '../../../shared/system/storages';
import { fsyncDirectory } from '../cold/durable-fs';
import { journalDirectory } from '../cold/storage-paths';
import type { Engine } from '../engine';
import { EngineError } from '../errors';
import { mkdirPrivateSync, PRIVATE_FILE_MODE } from '../private-files';

/** One segment a flush is about to create (recorded before its first byte is written). */
export interface JournalSegment {
  readonly user: string | null;
  readonly batch: number;
  /** Absolute paths. */
  readonly temp: string;
  readonly final: string;
  readonly dir: string;
}

export interface JournalHeader {
  readonly table: string;
  /** What holds the table's journal: a flush (absent in older journals) or a compaction. */
  readonly op?: 'flush' | 'compact' | undefined;
  readonly pid: number;
  readonly started: number;
}

export interface Journal {
  readonly path: string;
  readonly header: JournalHeader;
  readonly segments: JournalSegment[];
}

/**
 * The write-ahead list of one table's flush: a header, then one line per segment file before it is
 * created. Recovery reads it to remove exactly the files a dead flush left unrecorded. Created
 * exclusively, it is also the lock that keeps two processes from flushing one table at once — and
 * from flushing and compacting it at once (a compaction holds the same file, `op: 'compact'`,
 * with its own records: see compact/compact-job.ts).
 */
export class FlushJournal {
  private constructor(readonly path: string) {}

  static pathFor(dir: string, table: string): string {
    return join(dir, `${table}.jsonl`);
  }

  /** Starts a journal; CONFLICT-like error when one exists (a flush running elsewhere, or one awaiting recovery). */
  static create(dir: string, header: JournalHeader): FlushJournal {
    mkdirPrivateSync(dir);
    const path = FlushJournal.pathFor(dir, header.table);
    let fd: number;
    try {
      fd = openSync(path, 'wx', PRIVATE_FILE_MODE);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FlushLockedError(header.table, readJournal(path)?.header);
      throw e;
    }
    try {
      writeSync(fd, `${JSON.stringify(header)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    fsyncDirectory(dir);
    return new FlushJournal(path);
  }

  /** Records a segment durably before it is created. */
  add(segment: JournalSegment): void {
    appendFileSync(this.path, `${JSON.stringify(segment)}\n`);
    this.sync();
  }

  private sync(): void {
    const fd = openSync(this.path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Done (committed or cleaned up): the journal goes. */
  remove(): void {
    rmSync(this.path, { force: true });
    fsyncDirectory(dirname(this.path));
  }
}

export class FlushLockedError extends EngineError {
  constructor(
    readonly table: string,
    readonly holder: JournalHeader | undefined,
  ) {
    const what = holder?.op === 'compact' ? 'a compaction' : 'a flush';
    super(
      'CONFLICT',
      holder
        ? `${what} of ${table} is already running (process ${holder.pid}, started ${new Date(holder.started).toISOString()}) or awaits recovery`
        : `${what} of ${table} is already running or awaits recovery`,
    );
  }
  override name = 'FlushLockedError';
}

/** A journal as written; a torn last line (a crash while appending) is ignored, as its file was never created. */
export function readJournal(path: string): Journal | undefined {
  if (!existsSync(path)) return undefined;
  const lines = readFileSync(path, 'utf8').split('\n');
  let header: JournalHeader | undefined;
  const segments: JournalSegment[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (header === undefined) header = parsed as JournalHeader;
    else segments.push(parsed as JournalSegment);
  }
  return { path, header: header ?? { table: '', pid: 0, started: 0 }, segments };
}

export function listJournals(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(dir, f));
}

/** Whether the process that wrote a journal still runs (this process's own journals count as dead: startup recovery). */
export function isAlive(pid: number): boolean {
  if (pid === process.pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A journal left by a process that is gone, with its storage and table (undefined when the name no longer parses). */
export interface AbandonedJournal {
  readonly storage: Storage;
  readonly path: string;
  readonly journal: Journal;
  readonly id: TableId | undefined;
}

/**
 * The journals of one kind of job (a flush or a compaction) whose process is gone, in every
 * storage: what startup recovery resolves. Journals of a live process (a CLI beside the app) are skipped.
 */
export function* abandonedJournals(engine: Engine, op: 'flush' | 'compact'): Generator<AbandonedJournal> {
  for (const [, storage] of engine.system.storages.scan()) {
    for (const path of listJournals(journalDirectory(storage))) {
      const journal = readJournal(path);
      // Journals written before compaction existed carry no op: they are a flush's.
      if (!journal || (journal.header.op ?? 'flush') !== op || isAlive(journal.header.pid)) continue;
      let id: TableId | undefined;
      try {
        id = TableIdKey.parse(journal.header.table);
      } catch {
        id = undefined;
      }
      yield { storage, path, journal, id };
    }
  }
}
