import type { ColumnType } from '../../shared/browse';
import type { UserId } from '../../shared/keys/user-id';
import type { Token } from '../../shared/sql/sql-lexer';
import type { Subject } from '../engine/access/subject';
import { ValidationError } from '../engine/errors';
import { SqlStatementError } from '../engine/sql/sql-statement-error';
import type { SqlQueries } from '../engine/sql/sql-queries';
import type { Statement } from '../engine/sql/statements';
import type { SqlValue } from '../engine/storage/sqlite/query-connection';
import type { SqlCell } from '../../shared/sql/sql-results';
import { USER_COLUMN } from '../engine/tables/data-table-provider';
import type { DataTableEntry } from './data-catalog';
import type { WriteScope } from './writer';

type Dml = Extract<Statement, { kind: 'insert' | 'update' | 'delete' }>;

/** A synthetic token (text only) for SQL the executor writes around the user's tokens. */
const raw = (text: string, type: Token['type'] = 'word'): Token => ({ type, text, start: 0, end: 0 });

/** `namespace.table` as tokens the planner resolves to the table's virtual table. */
function tableTokens(ref: string): Token[] {
  const [namespace, table] = ref.split('.') as [string, string];
  return [raw(namespace), raw('.', 'punct'), raw(table)];
}

/** A result cell as the column type stores it: 0/1 booleans, JSON text parsed, blobs as base64. */
function fromCell(type: ColumnType, v: SqlCell): unknown {
  if (v === null) return null;
  switch (type) {
    case 'boolean':
      return typeof v === 'number' ? v !== 0 : v === 'true' ? true : v === 'false' ? false : v;
    case 'json':
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    case 'bytes':
      return typeof v === 'string' && /^x'[0-9a-f]*'$/.test(v) ? Buffer.from(v.slice(2, -1), 'hex').toString('base64') : v;
    default:
      return v;
  }
}

/** Every row of a query, read to its end (a write reads what it changes before changing any of it). */
function allRows(queries: SqlQueries, tokens: readonly Token[], source: string, subject: Subject, timeoutMs: number): SqlCell[][] {
  const query = queries.open(tokens, source, subject);
  const rows: SqlCell[][] = [];
  try {
    for (;;) {
      const page = query.next(1000, timeoutMs);
      rows.push(...page.rows);
      if (page.done) return rows;
    }
  } finally {
    query.close();
  }
}

/** The field names of a row's validation issues prefixed by its number in the statement ("row 2: title"). */
function inRow<T>(index: number, count: number, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (!(e instanceof ValidationError) || count === 1) throw e;
    throw new ValidationError(e.entity, e.issues, `row ${index + 1}: ${e.message}`);
  }
}

/**
 * INSERT, UPDATE and DELETE on a data table, inside the caller's write transaction: the rows to
 * write are read first through the query engine (as the subject: a user reaches only its own rows),
 * then written through the table's store (validation, `_seq`, the change feed), each update and
 * delete checked against the `_seq` it was read with. One audit entry per statement names its SQL.
 */
export function runDml(
  statement: Dml,
  /** The script (token offsets are into it) and the statement's text (for the audit entry). */
  source: string,
  text: string,
  entry: DataTableEntry,
  subject: Subject,
  queries: SqlQueries,
  scope: WriteScope,
  timeoutMs: number,
): number {
  const store = entry.store;
  const columns = entry.provider.columns();
  const typeOf = new Map(columns.map((c) => [c.name, c.type]));
  const pk = store.kind === 'stream' ? undefined : store.schema.primaryKey.name;
  let affected: number;
  if (statement.kind === 'insert') {
    const own = store.schema.columns.map((c) => c.name);
    const names = statement.columns ?? own;
    for (const [i, name] of names.entries()) {
      if (name !== USER_COLUMN && !typeOf.has(name))
        throw new SqlStatementError('UNKNOWN_COLUMN', `${entry.ref} has no column ${name}`, statement.table.start, statement.table.end);
      if (name === USER_COLUMN && store.kind === 'shared')
        throw new SqlStatementError('UNKNOWN_COLUMN', `${entry.ref} is a shared table: it has no ${USER_COLUMN}`, statement.table.start, statement.table.end);
      if (name.startsWith('_') && name !== USER_COLUMN)
        throw new SqlStatementError('VALIDATION', `${name} is a system column: it is never written`, statement.table.start, statement.table.end);
      if (names.indexOf(name) !== i) throw new SqlStatementError('VALIDATION', `column ${name} is named twice`, statement.table.start, statement.table.end);
    }
    const rows = allRows(queries, statement.source, source, subject, timeoutMs);
    rows.forEach((cells, index) => {
      if (cells.length !== names.length) {
        throw new SqlStatementError(
          'VALIDATION',
          `row ${index + 1} has ${cells.length} values for ${names.length} columns`,
          statement.source[0]!.start,
          statement.source[statement.source.length - 1]!.end,
        );
      }
      const values: Record<string, unknown> = {};
      let user: UserId | undefined;
      names.forEach((name, c) => {
        if (name === USER_COLUMN) user = (cells[c] ?? undefined) as UserId | undefined;
        else values[name] = fromCell(typeOf.get(name)!, cells[c]!);
      });
      inRow(index, rows.length, () => {
        if (store.kind === 'shared') store.insertRow(subject, values);
        else if (store.kind === 'user') store.insertRow(subject, values, { user });
        else store.appendRow(subject, values, { user });
      });
    });
    affected = rows.length;
  } else {
    if (store.kind === 'stream') {
      throw new SqlStatementError(
        'NOT_SUPPORTED',
        `${entry.ref} is a stream table: its rows are events and cannot be ${statement.kind}d`,
        statement.table.start,
        statement.table.end,
      );
    }
    const alias = statement.alias;
    const from: Token[] = [raw('FROM'), ...tableTokens(entry.ref), ...(alias ? [raw(alias)] : [])];
    const where = statement.where.length > 0 ? [raw('WHERE'), ...statement.where] : [];
    const keyColumns = [raw(`"${pk!}"`, 'ident'), raw(',', 'punct'), raw('_seq'), ...(store.kind === 'user' ? [raw(',', 'punct'), raw(USER_COLUMN)] : [])];
    const sets = statement.kind === 'update' ? statement.sets : [];
    for (const s of sets) {
      if (!typeOf.has(s.column) || s.column.startsWith('_')) {
        throw new SqlStatementError(
          s.column.startsWith('_') && typeOf.has(s.column) ? 'VALIDATION' : 'UNKNOWN_COLUMN',
          s.column.startsWith('_') && typeOf.has(s.column) ? `${s.column} is a system column: it is never written` : `${entry.ref} has no column ${s.column}`,
          s.start,
          s.end,
        );
      }
    }
    const select: Token[] = [
      raw('SELECT'),
      ...keyColumns,
      ...sets.flatMap((s) => [raw(',', 'punct'), raw('(', 'punct'), ...s.expr, raw(')', 'punct')]),
      ...from,
      ...where,
    ];
    const rows = allRows(queries, select, source, subject, timeoutMs);
    const width = keyColumns.length === 3 ? 2 : 3;
    rows.forEach((cells, index) => {
      const [key, seq] = cells as [SqlValue, number];
      const options = { expectedSeq: seq, ...(store.kind === 'user' ? { user: cells[2] as UserId } : {}) };
      inRow(index, rows.length, () => {
        if (statement.kind === 'delete') {
          if (store.kind === 'shared') store.deleteRow(subject, key, options);
          else store.deleteRow(subject, key, options);
          return;
        }
        const patch: Record<string, unknown> = {};
        sets.forEach((s, i) => (patch[s.column] = fromCell(typeOf.get(s.column)!, cells[width + i]!)));
        if (store.kind === 'shared') store.updateRow(subject, key, patch, options);
        else store.updateRow(subject, key, patch, options);
      });
    });
    affected = rows.length;
  }
  scope.audit({ action: `sql.${statement.kind}`, target: entry.ref, before: null, after: { sql: text, rows: affected } });
  return affected;
}
