import type { JobType } from '../../../shared/keys/job-id';
import type { JobProgress } from '../../../shared/system/jobs';
import type { EngineErrorCode, FieldIssue } from '../errors';

/** What a job worker is started with (its workerData). */
export interface WorkerInput {
  readonly databasePath: string;
  readonly storageDirectory: string;
  readonly type: JobType;
  readonly params: Record<string, unknown>;
  /** One Int32: set to 1 on cancel, so a body busy in synchronous work sees it at its next check. */
  readonly cancelFlag: SharedArrayBuffer;
}

/** A failure, carried across the thread boundary with what the manager needs to classify it. */
export interface WorkerError {
  readonly name: string;
  readonly message: string;
  /** An EngineError's code, so the services can map it as they would in-process. */
  readonly code?: EngineErrorCode | undefined;
  /** A ValidationError's entity and issues (its fields are data, never read back out of the message). */
  readonly validation?: { readonly entity: string; readonly issues: readonly FieldIssue[] } | undefined;
  readonly stack?: string | undefined;
  /** A full disk's SQLite or system code (SQLITE_FULL, ENOSPC), so the manager tells it as it would in-process. */
  readonly storageFullCode?: string | undefined;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly progress: JobProgress; readonly at: number }
  | { readonly type: 'done'; readonly result: unknown }
  | { readonly type: 'error'; readonly error: WorkerError };

/** Messages to a job worker. */
export type WorkerCommand = { readonly type: 'cancel' };
