import { Worker } from 'node:worker_threads';
import type { Token } from '../../../shared/sql/sql-lexer';
import type { SqlCell, SqlColumn, SqlErrorCode } from '../../../shared/sql/sql-results';
import type { Subject } from '../access/subject';
import { EngineError } from '../errors';
import { fromWorkerError } from '../jobs/worker-runner';
import type { QueryFailure, QueryReply, QueryRequest, QueryWorkerInput } from './query-worker-protocol';
import { SqlStatementError } from './sql-statement-error';

export interface QueryHostOptions {
  /** The worker's entry: out/main/query-worker.js in a build. */
  readonly workerPath: string;
  /** Extra Node flags for the worker (tests running TypeScript pass ['--import', 'tsx']). */
  readonly execArgv?: readonly string[] | undefined;
  readonly databasePath: string;
  readonly storageDirectory: string;
  /** The main engine's DDL epoch (sent with each query: the worker re-reads the schema when it moved). */
  readonly generation: () => number;
}

/** A page from the worker. */
export interface HostPage {
  readonly rows: SqlCell[][];
  readonly done: boolean;
}

/** A result open in the worker: its columns, its first page, and the way to the next ones. */
export interface HostQuery {
  readonly columns: SqlColumn[];
  /** See OpenQuery.keyColumns. */
  readonly keyColumns: number[];
  readonly first: HostPage;
  next(limit: number, timeoutMs: number, run?: string): Promise<HostPage>;
  close(): void;
}

/** What a query asks for (a run id makes it cancellable by cancel(run)). */
export interface HostOpen {
  readonly tokens: readonly Token[];
  readonly script: string;
  readonly subject: Subject;
  readonly explain: boolean;
  readonly limit: number;
  readonly timeoutMs: number;
  readonly run?: string | undefined;
}

type Ok = Extract<QueryReply, { ok: true }>;

interface Pending {
  resolve: (r: Ok) => void;
  reject: (e: Error) => void;
  readonly run: string | undefined;
  cancelled: boolean;
}

/** The worker's failure as the error it was: a statement error at its span, or an engine error as the job workers carry them. */
function rebuilt(f: QueryFailure): Error {
  if (f.sqlCode !== undefined && f.start !== undefined && f.end !== undefined)
    return new SqlStatementError(f.sqlCode as SqlErrorCode, f.message, f.start, f.end);
  return fromWorkerError(f);
}

/**
 * The SQL console's query worker, seen from the main process: queries run there on a connection of
 * its own, so the main event loop stays free while they run; requests are answered in order.
 * Cancel writes the running request's id into a shared flag, which its scans check every few rows.
 * The worker is never terminated while it runs a query: better-sqlite3 aborts the whole process
 * then (SQL-DESIGN.md §3.4). A worker that died is replaced at the next request; results that were
 * open in it fail with a message to run the query again.
 */
export class QueryHost {
  private worker: Worker | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private ids = 0;
  /** Requests sent and not answered, oldest (the running one) first. */
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly options: QueryHostOptions) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const input: QueryWorkerInput = {
      databasePath: this.options.databasePath,
      storageDirectory: this.options.storageDirectory,
      cancelFlag: this.flag.buffer,
    };
    const worker = new Worker(this.options.workerPath, { workerData: input, execArgv: [...(this.options.execArgv ?? [])], name: 'sql queries' });
    // Kept referenced only while a request waits (an idle worker must not keep a CLI or a test alive).
    worker.unref();
    worker.on('message', (m: QueryReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.flagHead();
      if (this.pending.size === 0) worker.unref();
      if (m.ok) p.resolve(m);
      else p.reject(rebuilt(m.error));
    });
    const died = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject(new SqlStatementError('EXECUTION', `the query worker stopped (${e.message}): run the query again`, 0, 0));
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Points the shared flag at the running request when it was cancelled while it waited. */
  private flagHead(): void {
    const [id, head] = this.pending.entries().next().value ?? [];
    if (id !== undefined && head?.cancelled) Atomics.store(this.flag, 0, id);
  }

  private request(message: QueryRequest, run: string | undefined): Promise<Ok> {
    const worker = this.start();
    return new Promise<Ok>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(message.id, { resolve, reject, run, cancelled: false });
      worker.postMessage(message);
    });
  }

  /** Opens a query (or EXPLAIN) in the worker and reads its first page. */
  async open(q: HostOpen): Promise<HostQuery> {
    const { tokens, script, subject, explain, limit, timeoutMs } = q;
    const reply = await this.request(
      { type: 'open', id: ++this.ids, explain, tokens, script, subject, limit, timeoutMs, generation: this.options.generation() },
      q.run,
    );
    const worker = this.worker;
    const handle = reply.handle;
    let done = reply.done;
    return {
      columns: reply.columns ?? [],
      keyColumns: reply.keyColumns ?? [],
      first: { rows: reply.rows, done },
      next: async (n, timeout, run) => {
        if (done) return { rows: [], done: true };
        if (this.worker !== worker) {
          done = true;
          throw new EngineError('NOT_FOUND', 'the query worker restarted since this result was opened: run the query again');
        }
        try {
          const page = await this.request({ type: 'next', id: ++this.ids, handle, limit: n, timeoutMs: timeout }, run);
          done = page.done;
          return { rows: page.rows, done: page.done };
        } catch (e) {
          // The worker closes a result that failed.
          done = true;
          throw e;
        }
      },
      close: () => {
        if (done) return;
        done = true;
        if (this.worker === worker) this.request({ type: 'close', id: ++this.ids, handle }, undefined).catch(() => undefined);
      },
    };
  }

  /** Stops the requests of `run`: the running one at its next check, a waiting one as it starts; false when it has none. */
  cancel(run: string): boolean {
    let any = false;
    for (const p of this.pending.values()) {
      if (p.run !== run) continue;
      p.cancelled = true;
      any = true;
    }
    this.flagHead();
    return any;
  }

  /** Ends the worker once the running request has stopped (it is cancelled first). */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    for (const p of this.pending.values()) p.cancelled = true;
    this.flagHead();
    if (this.pending.size > 0) {
      const last = [...this.pending.values()].at(-1)!;
      await new Promise<void>((resolve) => {
        const { resolve: ok, reject } = last;
        last.resolve = (r) => (ok(r), resolve());
        last.reject = (e) => (reject(e), resolve());
      });
    }
    this.worker = undefined;
    await worker.terminate();
  }
}
