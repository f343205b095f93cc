import type { ColumnInfo } from '../../../shared/browse';
import { SqlLexError, splitScript, type Token } from '../../../shared/sql/sql-lexer';
import { resultCellValue, resultColumnInfos } from '../../../shared/sql/result-columns';
import { MAX_PAGE_SIZE } from '../../../shared/paging';
import type { SqlCell } from '../../../shared/sql/sql-results';
import type { Subject } from '../access/subject';
import type { Engine } from '../engine';
import { executeAsUser } from '../sql/execute-as';
import { SqlStatementError } from '../sql/sql-statement-error';
import type { SqlQueries } from '../sql/sql-queries';
import { parseStatement, type Statement, verbOf } from '../sql/statements';
import { JobCancelledError } from '../jobs/job-context';
import { tableProvider } from './table-rows';

/** A query an export runs: its tokens in `script`, and the subject it reads as (EXECUTE AS applied). */
export interface ExportQuery {
  readonly script: string;
  readonly tokens: readonly Token[];
  readonly subject: Subject;
}

/** Statements that read without being a query whose rows an export could stream. */
const READS = new Set<Statement['kind']>(['explain', 'subscribe', 'show_namespaces', 'show_tables', 'describe_table', 'show_stats']);

/**
 * The query of an export's SQL source: exactly one statement, a query (SELECT, WITH, VALUES),
 * optionally inside EXECUTE AS USER (its target rules applied to `caller`). Anything else, a write
 * or DDL above all, is refused here, before a job or a file exists: a SqlStatementError at its span.
 */
export function exportQuery(engine: Engine, sql: string, caller: Subject): ExportQuery {
  let statements;
  try {
    statements = splitScript(sql);
  } catch (e) {
    if (e instanceof SqlLexError) throw new SqlStatementError('SYNTAX', e.message, e.start, e.end);
    throw e;
  }
  const [st, second] = statements;
  if (!st) throw new SqlStatementError('SYNTAX', 'no statement to run', 0, sql.length);
  if (second) throw new SqlStatementError('NOT_SUPPORTED', 'an export runs one query: remove the statements after the first', second.start, sql.length);
  const parsed = parseStatement(st);
  const inner = parsed.kind === 'execute_as' ? parsed.inner : parsed;
  if (inner.kind !== 'query') {
    const why = READS.has(inner.kind) ? 'is not a query' : 'is not a query, and an export never changes anything';
    throw new SqlStatementError('NOT_SUPPORTED', `only a query (SELECT) can be exported: ${verbOf(inner)} ${why}`, st.start, st.end);
  }
  if (parsed.kind !== 'execute_as') return { script: sql, tokens: inner.tokens, subject: caller };
  const user = executeAsUser(engine, parsed, caller);
  return { script: sql, tokens: inner.tokens, subject: { userId: user.user_id, role: user.role } };
}

/**
 * Refuses what would make the export's job fail at once: a query that does not prepare (syntax,
 * unknown table or column, a statement without rows) or reads a table its subject may not read.
 * Nothing runs: the statement is prepared and closed, and each table is asked for one row.
 */
export function checkExportQuery(engine: Engine, queries: SqlQueries, query: ExportQuery): void {
  queries.open(query.tokens, query.script, query.subject).close();
  for (const table of queries.plan(query.tokens, query.script).tables) tableProvider(engine, table.label).browse(query.subject, { limit: 1 });
}

/** A query's rows as an export reads them: its columns, then pages of rows keyed by column name. */
export interface QueryRows {
  readonly columns: ColumnInfo[];
  readonly pages: Generator<Record<string, unknown>[]>;
  /** Closes the query (also when the pages were never read). */
  close(): void;
}

/**
 * Opens a query and reads its first page (the columns' types come from it when they are not
 * declared), then pages through the console's own result paging: memory holds one page. No
 * statement timeout (an export takes as long as it takes); `stopped` (the job's cancel) stops a
 * running page within the sources' check interval, as JobCancelledError. The generator closes the
 * query when it ends or is returned.
 */
export function queryRows(queries: SqlQueries, query: ExportQuery, stopped: () => boolean): QueryRows {
  const read = <T>(work: () => T): T => {
    try {
      return work();
    } catch (e) {
      if (e instanceof SqlStatementError && e.code === 'CANCELLED' && stopped()) throw new JobCancelledError();
      throw e;
    }
  };
  const open = read(() => queries.open(query.tokens, query.script, query.subject));
  let first: { rows: SqlCell[][]; done: boolean };
  try {
    first = read(() => open.next(MAX_PAGE_SIZE, Number.POSITIVE_INFINITY));
  } catch (e) {
    open.close();
    throw e;
  }
  const columns = resultColumnInfos(open.columns, first.rows);
  const record = (cells: readonly SqlCell[]) => {
    // No prototype: a column named "__proto__" stays a value.
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let i = 0; i < columns.length; i++) values[columns[i]!.name] = resultCellValue(columns[i]!.type, cells[i] ?? null);
    return values;
  };
  function* pages(): Generator<Record<string, unknown>[]> {
    try {
      for (let page = first; ; page = read(() => open.next(MAX_PAGE_SIZE, Number.POSITIVE_INFINITY))) {
        if (page.rows.length > 0) yield page.rows.map(record);
        if (page.done) return;
      }
    } finally {
      open.close();
    }
  }
  return { columns, pages: pages(), close: () => open.close() };
}
