import { eventIterator } from '@orpc/contract';
import { z } from 'zod';
import { CursorSchema, PageLimitSchema } from '../paging';
import {
  DEFAULT_SQL_PAGE_SIZE,
  MAX_LIVE_ROWS,
  MAX_SCRIPT_LENGTH,
  MAX_STATEMENT_TIMEOUT_MS,
  MIN_STATEMENT_TIMEOUT_MS,
  SqlLiveEventSchema,
  SqlPageSchema,
  SqlRunResultSchema,
} from '../sql/sql-results';
import { procedure, subjectInput } from './common';

/** A run's id, chosen by the caller so that it can cancel the run while it is in flight. */
export const SqlRunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"');

export const SqlRunInputSchema = subjectInput({
  /** One or more statements separated by `;` (KalamDB's dialect; see the README's SQL console section). */
  script: z.string().min(1, 'must not be empty').max(MAX_SCRIPT_LENGTH),
  runId: SqlRunIdSchema.optional(),
  /** Rows in each result's first page. */
  pageSize: PageLimitSchema.default(DEFAULT_SQL_PAGE_SIZE),
  /** Per statement; the engine's default (30 s) when absent. A statement past it fails with TIMEOUT. */
  timeoutMs: z.number().int().min(MIN_STATEMENT_TIMEOUT_MS).max(MAX_STATEMENT_TIMEOUT_MS).optional(),
});

/**
 * The SQL console. A statement's failure is not a thrown error: `sql.run` answers with the outcomes
 * of the statements that ran and `error` (typed, with its position), so the console can show both.
 * Thrown errors are only about the call itself (VALIDATION of the input or of a cursor, NOT_FOUND of
 * a result that was closed). Writes are decided per statement (READ_ONLY in `error`, before the
 * statement runs), so `sql.run` is not a write procedure as a whole.
 */
export const sqlContract = {
  /** Runs a script statement by statement, stopping at the first error (BEGIN … COMMIT: all or nothing). */
  run: procedure.input(SqlRunInputSchema).output(SqlRunResultSchema),
  /** The page after a `next` cursor of an open result (the subject must be the one that ran it). */
  page: procedure.input(subjectInput({ cursor: CursorSchema, pageSize: PageLimitSchema.default(DEFAULT_SQL_PAGE_SIZE) })).output(SqlPageSchema),
  /** Releases an open result before its last page (results also close after a minute unused). */
  close: procedure.input(subjectInput({ resultId: z.string().max(100) })).output(z.object({ closed: z.boolean() })),
  /**
   * `SUBSCRIBE TO <query>` (one statement, EXECUTE AS allowed): the result, then its changes as rows
   * of the tables it reads change, until the client aborts. Listed in system.live_queries meanwhile.
   */
  subscribe: procedure
    .input(
      subjectInput({
        script: z.string().min(1, 'must not be empty').max(MAX_SCRIPT_LENGTH),
        limit: z.number().int().min(1).max(MAX_LIVE_ROWS).default(1000),
      }),
    )
    .output(eventIterator(SqlLiveEventSchema)),
  /** Stops a running script: its current statement ends with CANCELLED within 200 ms; false when no such run is active. */
  cancel: procedure.input(subjectInput({ runId: SqlRunIdSchema })).output(z.object({ cancelled: z.boolean() })),
};
