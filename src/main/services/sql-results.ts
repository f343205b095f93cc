import { randomUUID } from 'node:crypto';
import type { SqlCell, SqlColumn, SqlPage } from '../../shared/sql/sql-results';
import type { Subject } from '../engine/access/subject';
import { NotFoundError, ValidationError } from '../engine/errors';
import { decodeCursor, encodeCursor } from '../engine/store/cursor';

/** A page of a source: `done` once it has no more rows. */
export interface SourcePage {
  readonly rows: SqlCell[][];
  readonly done: boolean;
}

/** Rows a result hands out page by page: a query's open statement (here or in the query worker), or rows the executor made. */
export interface ResultSource {
  readonly columns: SqlColumn[];
  next(limit: number, timeoutMs: number): SourcePage | Promise<SourcePage>;
  close(): void;
}

/** A source that answers at once (a query on this thread, rows already made). */
export interface LocalResultSource extends ResultSource {
  next(limit: number, timeoutMs: number): SourcePage;
}

/** Rows already made (SHOW, DESCRIBE, EXPLAIN). */
export function arrayResult(columns: SqlColumn[], rows: SqlCell[][]): LocalResultSource {
  let at = 0;
  return {
    columns,
    next: (limit) => {
      const page = rows.slice(at, at + limit);
      at += page.length;
      return { rows: page, done: at >= rows.length };
    },
    close: () => {
      at = rows.length;
    },
  };
}

interface OpenResult {
  readonly source: ResultSource;
  readonly owner: string;
  /** Rows handed out so far: the position the next cursor names. */
  position: number;
  lastUsed: number;
}

/** A result unused this long is closed (its query connection released). */
const IDLE_MS = 60_000;
/** Open results at most; the least recently used is closed past it. */
const MAX_OPEN = 64;
/** Cursors of SQL results: the project's cursor codec, listing "sql", position = result id and row count. */
const LISTING = 'sql';

/** Who may read a result's pages: the subject it ran for. */
const ownerOf = (subject: Subject) => `${subject.userId ?? ''}\0${subject.role}`;

/**
 * The SQL console's open results: pages are read forward, each from the cursor the previous page
 * returned (the project's MAC-checked cursor, so a forged or replayed one is VALIDATION), by the
 * subject that ran the query. A result closes at its last page, on sql.close, or after a minute unused.
 */
export class SqlResults {
  private readonly open = new Map<string, OpenResult>();

  /** The first page of a new result, read now; the result stays open when there are more rows. */
  first(source: LocalResultSource, subject: Subject, limit: number, timeoutMs: number): { resultId: string; page: SqlPage } {
    return this.add(source, source.next(limit, timeoutMs), subject);
  }

  /** A new result whose first page was read already. */
  add(source: ResultSource, first: SourcePage, subject: Subject): { resultId: string; page: SqlPage } {
    this.sweep();
    const resultId = randomUUID();
    const { rows, done } = first;
    if (done) {
      source.close();
      return { resultId, page: { rows } };
    }
    this.open.set(resultId, { source, owner: ownerOf(subject), position: rows.length, lastUsed: Date.now() });
    while (this.open.size > MAX_OPEN) this.close(this.open.keys().next().value!);
    return { resultId, page: { rows, next: this.cursor(resultId, rows.length) } };
  }

  /** The page after `cursor`. */
  async page(cursor: string, subject: Subject, limit: number, timeoutMs: number): Promise<SqlPage> {
    this.sweep();
    const { key } = decodeCursor(LISTING, cursor);
    const [resultId, at] = Buffer.from(key).toString('utf8').split('\n') as [string, string];
    const result = this.open.get(resultId);
    if (!result) throw new NotFoundError(`SQL result ${resultId} (closed after its last page, on close, or after a minute unused): run the query again`);
    if (result.owner !== ownerOf(subject)) throw new ValidationError('page request', [{ field: 'cursor', message: 'belongs to a result of another subject' }]);
    if (Number(at) !== result.position)
      throw new ValidationError('page request', [{ field: 'cursor', message: 'pages of a SQL result are read in order: pass the latest next cursor' }]);
    // Re-inserted: the map's order is least recently used first.
    this.open.delete(resultId);
    try {
      const { rows, done } = await result.source.next(limit, timeoutMs);
      if (done) {
        result.source.close();
        return { rows };
      }
      result.position += rows.length;
      result.lastUsed = Date.now();
      this.open.set(resultId, result);
      return { rows, next: this.cursor(resultId, result.position) };
    } catch (e) {
      result.source.close();
      throw e;
    }
  }

  close(resultId: string): boolean {
    const result = this.open.get(resultId);
    if (!result) return false;
    this.open.delete(resultId);
    result.source.close();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.open.keys()]) this.close(id);
  }

  private cursor(resultId: string, position: number): string {
    return encodeCursor(LISTING, { key: Buffer.from(`${resultId}\n${position}`, 'utf8'), inclusive: false });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, r] of this.open) if (now - r.lastUsed > IDLE_MS) this.close(id);
  }
}
