import { z } from 'zod';
import { JobIdSchema } from '../keys/job-id';
import { CursorSchema } from '../paging';

/**
 * What the SQL console's engine answers, shared by the engine (which builds it) and the contract
 * (which carries it): one outcome per statement of a script, and the error that stopped it.
 */

/** Where something is in the script: 1-based line and column, 0-based offset and length in UTF-16 units. */
export const SqlPositionSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
});
export type SqlPosition = z.infer<typeof SqlPositionSchema>;

/**
 * Why a statement failed. The contract's error codes keep their meaning (ACCESS_DENIED, READ_ONLY,
 * VALIDATION with `issues`, CONFLICT, NOT_FOUND, ALREADY_EXISTS, UNIQUE_VIOLATION, IN_USE); the
 * SQL-only ones: SYNTAX (the text does not parse), UNKNOWN_TABLE, UNKNOWN_COLUMN, TYPE_MISMATCH,
 * NOT_SUPPORTED (a KalamDB statement this engine does not run), TIMEOUT, CANCELLED, and EXECUTION
 * (any other failure while running; the position is then the whole statement).
 */
export const SqlErrorCodeSchema = z.enum([
  'SYNTAX',
  'UNKNOWN_TABLE',
  'UNKNOWN_COLUMN',
  'TYPE_MISMATCH',
  'NOT_SUPPORTED',
  'ACCESS_DENIED',
  'READ_ONLY',
  'VALIDATION',
  'CONFLICT',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'UNIQUE_VIOLATION',
  'IN_USE',
  'TIMEOUT',
  'CANCELLED',
  'EXECUTION',
]);
export type SqlErrorCode = z.infer<typeof SqlErrorCodeSchema>;

export const SqlErrorSchema = z.object({
  code: SqlErrorCodeSchema,
  message: z.string(),
  /** Index of the failing statement in the script (0-based). */
  statement: z.number().int().min(0),
  /** The offending token or clause, in the whole script's coordinates. */
  position: SqlPositionSchema,
  /** VALIDATION only: the fields (columns) and what is wrong with each. */
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type SqlError = z.infer<typeof SqlErrorSchema>;

/** A result column: its name and its declared type when it comes straight from a table column (else null). */
export const SqlColumnSchema = z.object({ name: z.string(), type: z.string().nullable() });
export type SqlColumn = z.infer<typeof SqlColumnSchema>;

/** A cell: SQLite's value; a blob is hex text `x'…'`, an integer beyond 2^53 its decimal text. */
export const SqlCellSchema = z.union([z.string(), z.number(), z.null()]);
export type SqlCell = z.infer<typeof SqlCellSchema>;

/** A page of a result: rows as arrays in column order; `next` (opaque) reads the following page. */
export const SqlPageSchema = z.object({
  rows: z.array(z.array(SqlCellSchema)),
  /** Absent on the last page. */
  next: CursorSchema.optional(),
});
export type SqlPage = z.infer<typeof SqlPageSchema>;

/** Which statement an outcome is for: its index, its text's position in the script, its leading keywords ("SELECT", "CREATE TABLE", "FLUSH TABLE"). */
const StatementShape = {
  statement: z.number().int().min(0),
  position: SqlPositionSchema,
  verb: z.string(),
  /** Wall time of the statement in the engine, ms. */
  durationMs: z.number().min(0),
};

/**
 * The outcome of one statement:
 * - `rows`: a query (SELECT, SHOW, DESCRIBE, EXPLAIN): columns and the first page; `resultId`
 *   names the open result until its last page is read or `sql.close` is called;
 * - `changed`: INSERT, UPDATE, DELETE: rows affected;
 * - `ddl`: a schema change, with the statement as the DDL engine wrote it (the dialogs' preview text);
 * - `job`: FLUSH, COMPACT, BACKUP, RESTORE: the jobs queued (follow them on the event stream's `job` events);
 * - `message`: BEGIN, COMMIT, ROLLBACK and other statements without rows.
 */
export const SqlOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({
    ...StatementShape,
    kind: z.literal('rows'),
    resultId: z.string(),
    columns: z.array(SqlColumnSchema),
    page: SqlPageSchema,
  }),
  z.object({ ...StatementShape, kind: z.literal('changed'), affected: z.number().int().min(0) }),
  z.object({ ...StatementShape, kind: z.literal('ddl'), message: z.string(), applied: z.string() }),
  z.object({ ...StatementShape, kind: z.literal('job'), jobIds: z.array(JobIdSchema) }),
  z.object({ ...StatementShape, kind: z.literal('message'), message: z.string() }),
]);
export type SqlOutcome = z.infer<typeof SqlOutcomeSchema>;

/**
 * A script's run: the outcomes of the statements that ran, in order, and the error that stopped it
 * (absent when every statement ran). Statements before the failing one stay committed, except inside
 * BEGIN … COMMIT, where `rolledBack` lists the statements undone with the failing one.
 */
export const SqlRunResultSchema = z.object({
  outcomes: z.array(SqlOutcomeSchema),
  error: SqlErrorSchema.optional(),
  rolledBack: z.array(z.number().int().min(0)).optional(),
});
export type SqlRunResult = z.infer<typeof SqlRunResultSchema>;

/** The longest script accepted, in UTF-16 units. */
export const MAX_SCRIPT_LENGTH = 1_000_000;
/** Statement timeout bounds (ms); the engine's default is 30 s. */
export const MIN_STATEMENT_TIMEOUT_MS = 100;
export const MAX_STATEMENT_TIMEOUT_MS = 3_600_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
/** First-page size when the caller does not say. */
export const DEFAULT_SQL_PAGE_SIZE = 100;

/** Rows a live result (SUBSCRIBE TO) holds at most; past it the result is cut there (`truncated`). */
export const MAX_LIVE_ROWS = 10_000;

const RowsSchema = z.array(z.array(SqlCellSchema));

/**
 * What `sql.subscribe` streams for `SUBSCRIBE TO <query>`:
 * - `result`: first, the whole result (up to `limit` rows), the id of its row in
 *   system.live_queries, and `keyColumns`, the columns that identify a row (its table's `_user` and
 *   primary key, when the query reads one table and shows them; else the whole row identifies it);
 * - `changes`: after rows of the tables it reads changed, what changed in the result: rows that
 *   appeared, rows whose identity stayed but whose values changed, rows that went (as they were);
 * - `error`: the statement failed (at its position); the stream ends.
 */
export const SqlLiveEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('result'),
    liveQueryIds: z.array(z.string()),
    columns: z.array(SqlColumnSchema),
    keyColumns: z.array(z.number().int().min(0)),
    rows: RowsSchema,
    truncated: z.boolean(),
  }),
  z.object({ type: z.literal('changes'), inserted: RowsSchema, updated: RowsSchema, deleted: RowsSchema, truncated: z.boolean() }),
  z.object({ type: z.literal('error'), error: SqlErrorSchema }),
]);
export type SqlLiveEvent = z.infer<typeof SqlLiveEventSchema>;
