import type { Token } from '../../../shared/sql/sql-lexer';
import type { SqlCell, SqlColumn } from '../../../shared/sql/sql-results';
import type { Subject } from '../access/subject';
import type { WorkerError } from '../jobs/worker-protocol';

/** What the query worker starts with: where the database is, and the cancel flag it shares with the host. */
export interface QueryWorkerInput {
  readonly databasePath: string;
  readonly storageDirectory: string;
  /** One Int32: the id of the request to stop (a running request compares it with its own every few rows). */
  readonly cancelFlag: SharedArrayBuffer;
}

/** Requests, each answered by one QueryReply with the same id, in order. */
export type QueryRequest =
  | {
      readonly type: 'open';
      readonly id: number;
      /** A query's rows, or EXPLAIN's (all in the first page). */
      readonly explain: boolean;
      /** The statement's tokens, and the script their offsets point into. */
      readonly tokens: readonly Token[];
      readonly script: string;
      readonly subject: Subject;
      readonly limit: number;
      readonly timeoutMs: number;
      /** The main engine's DDL epoch: when it moved, the worker reads the schema again. */
      readonly generation: number;
    }
  | { readonly type: 'next'; readonly id: number; readonly handle: number; readonly limit: number; readonly timeoutMs: number }
  | { readonly type: 'close'; readonly id: number; readonly handle: number };

/** A failure carried across the thread: a job worker's error shape, plus a statement error's span. */
export interface QueryFailure extends WorkerError {
  readonly sqlCode?: string | undefined;
  readonly start?: number | undefined;
  readonly end?: number | undefined;
}

export type QueryReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly handle: number;
      readonly columns?: SqlColumn[] | undefined;
      readonly keyColumns?: number[] | undefined;
      readonly rows: SqlCell[][];
      readonly done: boolean;
    }
  | { readonly id: number; readonly ok: false; readonly error: QueryFailure };
