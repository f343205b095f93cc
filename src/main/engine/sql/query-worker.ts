/**
 * Entry of the SQL console's query worker thread (bundled to out/main/query-worker.js): its own
 * connection to the database (it only reads), the console's query engine over it, and requests by
 * message, so a long query never holds the main process's event loop. Cancel and timeouts reach a
 * running query through the shared flag and the deadline its scans check every few rows. Only the
 * page asked for is read: an open result holds its statement, never its rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import type { QueryFailure, QueryReply, QueryRequest, QueryWorkerInput } from './query-worker-protocol';
import { type OpenQuery, SqlQueries } from './sql-queries';
import { SqlStatementError } from './sql-statement-error';

function failure(e: unknown): QueryFailure {
  if (e instanceof SqlStatementError) return { name: e.name, message: e.message, sqlCode: e.code, start: e.start, end: e.end };
  if (e instanceof ValidationError) return { name: e.name, message: e.message, code: e.code, validation: { entity: e.entity, issues: e.issues } };
  if (e instanceof EngineError) return { name: e.name, message: e.message, code: e.code };
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

function main(): void {
  const port = parentPort;
  if (!port) throw new Error('query-worker must run in a worker thread');
  const input = workerData as QueryWorkerInput;
  const flag = new Int32Array(input.cancelFlag);
  const engine = Engine.open({ databasePath: input.databasePath, storageDirectory: input.storageDirectory, secondary: true });
  let current = 0;
  let generation: number | undefined;
  const queries = new SqlQueries(engine, () => Atomics.load(flag, 0) === current);
  const open = new Map<number, OpenQuery>();
  let handles = 0;
  const post = (m: QueryReply) => port.postMessage(m);
  port.on('message', (m: QueryRequest) => {
    current = m.id;
    try {
      if (m.type === 'open') {
        // The main engine ran DDL (or a restore) since the last query: read the schema again.
        if (m.generation !== generation) {
          if (generation !== undefined) engine.reload();
          generation = m.generation;
        }
        if (m.explain) {
          const { columns, rows } = queries.explain(m.tokens, m.script, m.subject);
          post({ id: m.id, ok: true, handle: 0, columns, rows, done: true });
          return;
        }
        const query = queries.open(m.tokens, m.script, m.subject);
        const page = query.next(m.limit, m.timeoutMs);
        const handle = ++handles;
        if (!page.done) open.set(handle, query);
        post({ id: m.id, ok: true, handle, columns: query.columns, keyColumns: query.keyColumns, rows: page.rows, done: page.done });
      } else if (m.type === 'next') {
        const query = open.get(m.handle);
        if (!query) throw new Error(`no open result ${m.handle}`);
        const page = query.next(m.limit, m.timeoutMs);
        if (page.done) open.delete(m.handle);
        post({ id: m.id, ok: true, handle: m.handle, rows: page.rows, done: page.done });
      } else {
        open.get(m.handle)?.close();
        open.delete(m.handle);
        post({ id: m.id, ok: true, handle: m.handle, rows: [], done: true });
      }
    } catch (e) {
      if (m.type === 'next') open.delete(m.handle);
      post({ id: m.id, ok: false, error: failure(e) });
    }
  });
}

main();
