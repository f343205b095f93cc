import type { TableAccess } from '../../../shared/access';
import type { ColumnType } from '../../../shared/browse';
import type { AlterTableInput, ColumnInput, CreateTableInput, DataTableType } from '../../../shared/ddl';
import { identifierName, isKeyword, type ScriptStatement, type Token } from '../../../shared/sql/sql-lexer';
import type { FlushPolicy } from '../../../shared/system/tables';
import { SqlStatementError } from './sql-statement-error';

/**
 * The console's front parser: it classifies each statement and parses KalamDB's own statements
 * (DDL, jobs, introspection, EXECUTE AS) into the same input shapes the dialogs send; standard SQL
 * (queries and the shape of INSERT, UPDATE, DELETE) is left as tokens for the query engine.
 * KalamDB's forms as of its source (see SQL-DESIGN.md §1), plus the legacy FLUSH TABLE,
 * FLUSH ALL TABLES and COMPACT TABLE and the forms our DDL preview writes.
 */

/** A `namespace.table` reference as written, with its span. */
export interface TableName {
  readonly namespace: string | undefined;
  readonly table: string;
  readonly start: number;
  readonly end: number;
}

export type Statement =
  | { kind: 'query'; tokens: readonly Token[] }
  | { kind: 'explain'; tokens: readonly Token[] }
  /** SUBSCRIBE TO <query>: a result kept open and updated as rows change (sql.subscribe). */
  | { kind: 'subscribe'; tokens: readonly Token[] }
  | { kind: 'insert'; table: TableName; columns: string[] | undefined; source: readonly Token[] }
  | {
      kind: 'update';
      table: TableName;
      alias: string | undefined;
      sets: { column: string; start: number; end: number; expr: readonly Token[] }[];
      where: readonly Token[];
    }
  | { kind: 'delete'; table: TableName; alias: string | undefined; where: readonly Token[] }
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  | { kind: 'create_namespace'; name: string; ifNotExists: boolean; comment: string | undefined }
  | { kind: 'drop_namespace'; name: string; ifExists: boolean; cascade: boolean }
  | { kind: 'create_table'; input: CreateTableInput; ifNotExists: boolean; table: TableName }
  | { kind: 'alter_table'; table: TableName; change: AlterTableInput }
  | { kind: 'drop_table'; table: TableName; ifExists: boolean }
  | { kind: 'flush_table'; table: TableName }
  | { kind: 'flush_all'; namespace: string | undefined }
  | { kind: 'compact_table'; table: TableName }
  | { kind: 'compact_all'; namespace: string }
  | { kind: 'backup'; folder: string; start: number; end: number }
  | { kind: 'restore'; folder: string; start: number; end: number }
  | { kind: 'show_namespaces' }
  | { kind: 'show_tables'; namespace: string | undefined }
  | { kind: 'describe_table'; table: TableName }
  | { kind: 'show_stats'; table: TableName }
  | { kind: 'execute_as'; user: string; userStart: number; userEnd: number; inner: Statement; innerTokens: readonly Token[] };

/** What each parsed kind says in an outcome's `verb`. */
export function verbOf(statement: Statement): string {
  return statement.kind === 'execute_as' ? `EXECUTE AS (${verbOf(statement.inner)})` : VERBS[statement.kind];
}

const VERBS: Record<Exclude<Statement['kind'], 'execute_as'>, string> = {
  query: 'SELECT',
  explain: 'EXPLAIN',
  subscribe: 'SUBSCRIBE',
  insert: 'INSERT',
  update: 'UPDATE',
  delete: 'DELETE',
  begin: 'BEGIN',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  create_namespace: 'CREATE NAMESPACE',
  drop_namespace: 'DROP NAMESPACE',
  create_table: 'CREATE TABLE',
  alter_table: 'ALTER TABLE',
  drop_table: 'DROP TABLE',
  flush_table: 'FLUSH TABLE',
  flush_all: 'FLUSH ALL TABLES',
  compact_table: 'COMPACT TABLE',
  compact_all: 'COMPACT ALL',
  backup: 'BACKUP DATABASE',
  restore: 'RESTORE DATABASE',
  show_namespaces: 'SHOW NAMESPACES',
  show_tables: 'SHOW TABLES',
  describe_table: 'DESCRIBE TABLE',
  show_stats: 'SHOW STATS',
};

const TYPES: Record<string, ColumnType> = {
  TEXT: 'text',
  VARCHAR: 'text',
  STRING: 'text',
  CHAR: 'text',
  BIGINT: 'integer',
  INT: 'integer',
  INTEGER: 'integer',
  SMALLINT: 'integer',
  DOUBLE: 'double',
  FLOAT: 'double',
  REAL: 'double',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  TIMESTAMP: 'timestamp',
  JSON: 'json',
  BYTES: 'bytes',
  BYTEA: 'bytes',
  BLOB: 'bytes',
};

/** Statements of SQLite or PostgreSQL this console does not run (NOT_SUPPORTED rather than SYNTAX). */
const OTHER_SQL = new Set([
  'PRAGMA',
  'ATTACH',
  'DETACH',
  'VACUUM',
  'REINDEX',
  'ANALYZE',
  'REPLACE',
  'SAVEPOINT',
  'RELEASE',
  'GRANT',
  'REVOKE',
  'TRUNCATE',
  'MERGE',
  'CALL',
  'COPY',
  'UPSERT',
]);

/** Reads the tokens of one statement. */
class Reader {
  i = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly statementEnd: number,
  ) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  done(): boolean {
    return this.i >= this.tokens.length;
  }

  error(message: string, token = this.peek(), code: 'SYNTAX' | 'NOT_SUPPORTED' = 'SYNTAX'): SqlStatementError {
    const start = token?.start ?? this.statementEnd;
    return new SqlStatementError(code, message, start, token?.end ?? start);
  }

  accept(word: string): boolean {
    if (isKeyword(this.peek(), word)) {
      this.i++;
      return true;
    }
    return false;
  }

  acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t && (t.type === 'punct' || t.type === 'op') && t.text === p) {
      this.i++;
      return true;
    }
    return false;
  }

  expect(word: string): Token {
    const t = this.peek();
    if (!isKeyword(t, word)) throw this.error(t ? `expected ${word}, found "${t.text}"` : `expected ${word} at the end of the statement`);
    this.i++;
    return t!;
  }

  expectPunct(p: string): Token {
    const t = this.peek();
    if (!t || t.text !== p || (t.type !== 'punct' && t.type !== 'op'))
      throw this.error(t ? `expected "${p}", found "${t.text}"` : `expected "${p}" at the end of the statement`);
    this.i++;
    return t;
  }

  /** An identifier (lower-cased unless quoted: KalamDB's identifiers are case-insensitive). */
  name(what: string): { name: string; token: Token } {
    const t = this.peek();
    if (!t || (t.type !== 'word' && t.type !== 'ident')) throw this.error(t ? `expected ${what}, found "${t.text}"` : `expected ${what}`);
    this.i++;
    return { name: t.type === 'word' ? t.text.toLowerCase() : identifierName(t), token: t };
  }

  /** `[namespace.]table`. */
  tableName(): TableName {
    const first = this.name('a table name');
    if (this.peek()?.text === '.' && this.peek()?.type === 'punct') {
      this.i++;
      const second = this.name('a table name');
      return { namespace: first.name, table: second.name, start: first.token.start, end: second.token.end };
    }
    return { namespace: undefined, table: first.name, start: first.token.start, end: first.token.end };
  }

  string(what: string): { value: string; token: Token } {
    const t = this.peek();
    if (t?.type !== 'string') throw this.error(t ? `expected ${what} as a quoted string, found "${t.text}"` : `expected ${what} as a quoted string`);
    this.i++;
    return { value: t.text.slice(1, -1).replaceAll("''", "'"), token: t };
  }

  integer(what: string): number {
    const t = this.peek();
    if (t?.type !== 'number' || !/^[0-9]+$/.test(t.text)) throw this.error(`expected ${what} (a whole number)`);
    this.i++;
    return Number(t.text);
  }

  /** A literal for a DEFAULT or an option: string, number (signed), TRUE/FALSE, NULL. */
  literal(): { value: unknown; token: Token } {
    const t = this.peek();
    if (!t) throw this.error('expected a value');
    if (t.type === 'string') return { value: this.string('a value').value, token: t };
    if (t.type === 'op' && t.text === '-' && this.peek(1)?.type === 'number') {
      this.i += 2;
      return { value: -Number(this.tokens[this.i - 1]!.text), token: t };
    }
    if (t.type === 'number') {
      this.i++;
      return { value: Number(t.text), token: t };
    }
    for (const [word, value] of [
      ['TRUE', true],
      ['FALSE', false],
      ['NULL', null],
    ] as const) {
      if (this.accept(word)) return { value, token: t };
    }
    throw this.error(`expected a value, found "${t.text}"`);
  }

  end(): void {
    const t = this.peek();
    if (t) throw this.error(`unexpected "${t.text}" after the end of the statement`);
  }

  rest(): readonly Token[] {
    const out = this.tokens.slice(this.i);
    this.i = this.tokens.length;
    return out;
  }
}

export function parseStatement(statement: Pick<ScriptStatement, 'tokens' | 'end'>): Statement {
  const r = new Reader(statement.tokens, statement.end);
  const first = r.peek();
  const head = first?.type === 'word' ? first.text.toUpperCase() : '';
  switch (head) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
      return { kind: 'query', tokens: statement.tokens };
    case 'EXPLAIN':
      r.i++;
      if (r.accept('QUERY')) r.expect('PLAN');
      return { kind: 'explain', tokens: r.rest() };
    case 'SUBSCRIBE': {
      r.i++;
      r.expect('TO');
      const tokens = r.rest();
      const inner = parseStatement({ tokens, end: statement.end });
      if (inner.kind !== 'query') throw r.error('SUBSCRIBE TO takes a query (SELECT …)', tokens[0]);
      return { kind: 'subscribe', tokens };
    }
    case 'INSERT':
      return insert(r);
    case 'UPDATE':
      return update(r);
    case 'DELETE':
      return del(r);
    case 'BEGIN':
    case 'START':
      r.i++;
      if (head === 'START') r.expect('TRANSACTION');
      else r.accept('TRANSACTION');
      r.end();
      return { kind: 'begin' };
    case 'COMMIT':
    case 'END':
      r.i++;
      r.accept('TRANSACTION');
      r.end();
      return { kind: 'commit' };
    case 'ROLLBACK':
      r.i++;
      r.accept('TRANSACTION');
      r.end();
      return { kind: 'rollback' };
    case 'CREATE':
      return create(r);
    case 'ALTER':
      return alter(r);
    case 'DROP':
      return drop(r);
    case 'STORAGE':
      r.i++;
      if (isKeyword(r.peek(), 'FLUSH')) return flush(r);
      if (isKeyword(r.peek(), 'COMPACT')) return compact(r);
      throw r.error('expected FLUSH or COMPACT after STORAGE');
    case 'FLUSH':
      return flush(r);
    case 'COMPACT':
      return compact(r);
    case 'BACKUP':
    case 'RESTORE': {
      r.i++;
      r.expect('DATABASE');
      r.expect(head === 'BACKUP' ? 'TO' : 'FROM');
      const { value, token } = r.string('the folder');
      r.end();
      return { kind: head === 'BACKUP' ? 'backup' : 'restore', folder: value, start: token.start, end: token.end };
    }
    case 'SHOW':
      return show(r);
    case 'DESCRIBE':
    case 'DESC': {
      r.i++;
      r.accept('TABLE');
      const table = r.tableName();
      if (isKeyword(r.peek(), 'HISTORY')) throw r.error('DESCRIBE … HISTORY is not supported here', r.peek(), 'NOT_SUPPORTED');
      r.end();
      return { kind: 'describe_table', table };
    }
    case 'EXECUTE':
      return executeAs(r);
    case 'KILL':
    case 'USE':
    case 'SET':
      throw r.error(`${head} is not supported by this console yet`, first, 'NOT_SUPPORTED');
    default:
      throw first
        ? r.error(
            `"${first.text}" does not start a statement this console runs (queries, INSERT, UPDATE, DELETE, KalamDB's DDL, jobs and SHOW statements)`,
            first,
            OTHER_SQL.has(head) ? 'NOT_SUPPORTED' : 'SYNTAX',
          )
        : r.error('empty statement');
  }
}

function insert(r: Reader): Statement {
  r.expect('INSERT');
  if (r.accept('OR')) throw r.error('INSERT OR … is not supported: a key that exists is ALREADY_EXISTS', r.tokens[r.i - 1], 'NOT_SUPPORTED');
  r.expect('INTO');
  const table = r.tableName();
  let columns: string[] | undefined;
  if (r.peek()?.text === '(') {
    r.i++;
    columns = [];
    do columns.push(r.name('a column name').name);
    while (r.acceptPunct(','));
    r.expectPunct(')');
  }
  const next = r.peek();
  if (!isKeyword(next, 'VALUES') && !isKeyword(next, 'SELECT') && !isKeyword(next, 'WITH')) throw r.error('expected VALUES or SELECT');
  const source = r.rest();
  const returning = source.findIndex((t) => isKeyword(t, 'RETURNING') || isKeyword(t, 'ON'));
  if (returning >= 0 && depthAt(source, returning) === 0)
    throw r.error(`${source[returning]!.text.toUpperCase()} is not supported here`, source[returning], 'NOT_SUPPORTED');
  return { kind: 'insert', table, columns, source };
}

/** Parenthesis depth before token `index`. */
function depthAt(tokens: readonly Token[], index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.text === '(') depth++;
    else if (t.type === 'punct' && t.text === ')') depth--;
  }
  return depth;
}

function alias(r: Reader): string | undefined {
  if (r.accept('AS')) return r.name('an alias').name;
  const t = r.peek();
  if (t && (t.type === 'ident' || (t.type === 'word' && !['SET', 'WHERE'].includes(t.text.toUpperCase())))) return r.name('an alias').name;
  return undefined;
}

/** The WHERE clause's tokens (empty without one); nothing may follow it (no ORDER BY, LIMIT or RETURNING at its level). */
function whereClause(r: Reader): readonly Token[] {
  if (r.done()) return [];
  r.expect('WHERE');
  const tokens = r.rest();
  if (tokens.length === 0) throw r.error('expected a condition after WHERE');
  for (let i = 0; i < tokens.length; i++) {
    if (depthAt(tokens, i) === 0 && ['RETURNING', 'ORDER', 'LIMIT'].some((w) => isKeyword(tokens[i], w))) {
      throw r.error(`${tokens[i]!.text.toUpperCase()} is not supported here`, tokens[i], 'NOT_SUPPORTED');
    }
  }
  return tokens;
}

function update(r: Reader): Statement {
  r.expect('UPDATE');
  const table = r.tableName();
  const as = alias(r);
  r.expect('SET');
  const sets: { column: string; start: number; end: number; expr: Token[] }[] = [];
  for (;;) {
    const { name, token } = r.name('a column name');
    r.expectPunct('=');
    const expr: Token[] = [];
    let depth = 0;
    for (let t = r.peek(); t; t = r.peek()) {
      if (depth === 0 && ((t.type === 'punct' && t.text === ',') || isKeyword(t, 'WHERE'))) break;
      if (t.type === 'punct' && t.text === '(') depth++;
      if (t.type === 'punct' && t.text === ')') depth--;
      expr.push(t);
      r.i++;
    }
    if (expr.length === 0) throw r.error(`expected a value for ${name}`);
    sets.push({ column: name, start: token.start, end: token.end, expr });
    if (!r.acceptPunct(',')) break;
  }
  return { kind: 'update', table, alias: as, sets, where: whereClause(r) };
}

function del(r: Reader): Statement {
  r.expect('DELETE');
  r.expect('FROM');
  const table = r.tableName();
  const as = alias(r);
  return { kind: 'delete', table, alias: as, where: whereClause(r) };
}

function ifNot(r: Reader, not: boolean): boolean {
  if (!r.accept('IF')) return false;
  if (not) r.expect('NOT');
  r.expect('EXISTS');
  return true;
}

function tableType(r: Reader): DataTableType | undefined {
  for (const t of ['USER', 'SHARED', 'STREAM'] as const) if (r.accept(t)) return t.toLowerCase() as DataTableType;
  return undefined;
}

function create(r: Reader): Statement {
  r.expect('CREATE');
  if (r.accept('NAMESPACE')) {
    const ifNotExists = ifNot(r, true);
    const { name } = r.name('a namespace name');
    const comment = r.accept('COMMENT') ? r.string('the comment').value : undefined;
    r.end();
    return { kind: 'create_namespace', name, ifNotExists, comment };
  }
  let type = tableType(r);
  if (!isKeyword(r.peek(), 'TABLE'))
    throw r.error('CREATE supports NAMESPACE and [USER|SHARED|STREAM] TABLE', r.peek(), r.peek()?.type === 'word' ? 'NOT_SUPPORTED' : 'SYNTAX');
  r.expect('TABLE');
  const ifNotExists = ifNot(r, true);
  const table = r.tableName();
  if (table.namespace === undefined) throw r.error('name the table with its namespace: namespace.table', r.tokens[r.i - 1]);
  r.expectPunct('(');
  const columns: ColumnInput[] = [];
  do {
    if (r.accept('CONSTRAINT') || isKeyword(r.peek(), 'PRIMARY')) {
      if (isKeyword(r.tokens[r.i - 1], 'CONSTRAINT')) r.name('a constraint name');
      r.expect('PRIMARY');
      r.expect('KEY');
      r.expectPunct('(');
      const { name, token } = r.name('the primary key column');
      if (r.peek()?.text === ',') throw r.error('composite primary keys are not supported', r.peek(), 'NOT_SUPPORTED');
      r.expectPunct(')');
      const column = columns.find((c) => c.name === name);
      if (!column) throw r.error(`no column "${name}" in this table`, token);
      column.primary_key = true;
      column.nullable = false;
      continue;
    }
    columns.push(columnDefinition(r));
  } while (r.acceptPunct(','));
  r.expectPunct(')');
  const input: CreateTableInput = { namespace: table.namespace, name: table.table, type: type ?? 'shared', columns };
  if (r.accept('WITH')) {
    r.expectPunct('(');
    do {
      const { name, token } = r.name('an option');
      r.expectPunct('=');
      const option = name.toUpperCase();
      if (option === 'TYPE') {
        const { value, token: vt } = r.literal();
        const t = typeof value === 'string' ? value.toLowerCase() : '';
        if (t !== 'user' && t !== 'shared' && t !== 'stream') throw r.error('TYPE is USER, SHARED or STREAM', vt);
        if (type !== undefined && type !== t) throw r.error(`TYPE '${t}' contradicts CREATE ${type.toUpperCase()} TABLE`, vt);
        type = t;
        input.type = t;
      } else applyOption(r, input, option, token, 'create');
    } while (r.acceptPunct(','));
    r.expectPunct(')');
  }
  if (r.accept('COMMENT')) input.comment = r.string('the comment').value;
  r.end();
  return { kind: 'create_table', input, ifNotExists, table };
}

function columnDefinition(r: Reader): ColumnInput {
  const { name } = r.name('a column name');
  const typeToken = r.peek();
  const type = typeToken?.type === 'word' ? TYPES[typeToken.text.toUpperCase()] : undefined;
  if (!type)
    throw r.error(
      typeToken ? `unknown column type "${typeToken.text}" (TEXT, BIGINT, DOUBLE, BOOLEAN, TIMESTAMP, JSON, BYTES)` : 'expected a column type',
      typeToken,
    );
  r.i++;
  // VARCHAR(255) and the like: the length is not kept.
  if (r.peek()?.text === '(') {
    r.i++;
    r.integer('a length');
    r.expectPunct(')');
  }
  const column: ColumnInput = { name, type };
  for (;;) {
    if (r.accept('PRIMARY')) {
      r.expect('KEY');
      column.primary_key = true;
    } else if (r.accept('NOT')) {
      r.expect('NULL');
      column.nullable = false;
    } else if (r.accept('NULL')) column.nullable = true;
    else if (r.accept('DEFAULT')) {
      const { value, token } = r.literal();
      column.default = defaultValue(r, type, value, token) as ColumnInput['default'];
    } else break;
  }
  return column;
}

/** A DEFAULT literal as the column type holds it (json defaults are written as JSON text). */
function defaultValue(r: Reader, type: ColumnType, value: unknown, token: Token): unknown {
  if (type === 'json' && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw r.error('a JSON default must be JSON text', token);
    }
  }
  return value;
}

/** KalamDB's 'rows:N[,interval:S]' and our preview's 'ROWS N, INTERVAL Ns'. */
function flushPolicy(r: Reader, text: string, token: Token): FlushPolicy {
  const policy: { row_limit?: number; interval_seconds?: number } = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^(rows|interval)\s*[:\s]\s*([0-9]+)s?$/i.exec(part);
    if (!m) throw r.error(`FLUSH_POLICY: "${part}" is not "rows:N" or "interval:S"`, token);
    if (m[1]!.toLowerCase() === 'rows') policy.row_limit = Number(m[2]);
    else policy.interval_seconds = Number(m[2]);
  }
  if (policy.row_limit === undefined && policy.interval_seconds === undefined) throw r.error('FLUSH_POLICY needs rows, an interval, or both', token);
  return policy;
}

const ACCESS: readonly string[] = ['public', 'private', 'restricted', 'dba'];

type OptionTarget = {
  access_level?: TableAccess | undefined;
  ttl_seconds?: number | undefined;
  flush_policy?: FlushPolicy | null | undefined;
  storage_id?: string | undefined;
  comment?: string | null | undefined;
};

function applyOption(r: Reader, target: OptionTarget, option: string, token: Token, mode: 'create' | 'alter'): void {
  const { value, token: vt } = r.literal();
  switch (option) {
    case 'ACCESS_LEVEL': {
      const v = typeof value === 'string' ? value.toLowerCase() : '';
      if (!ACCESS.includes(v)) throw r.error('ACCESS_LEVEL is PUBLIC, PRIVATE, RESTRICTED or DBA', vt);
      target.access_level = v as TableAccess;
      return;
    }
    case 'TTL_SECONDS':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw r.error('TTL_SECONDS is a whole number', vt);
      target.ttl_seconds = value;
      return;
    case 'FLUSH_POLICY':
      if (value === null && mode === 'alter') target.flush_policy = null;
      else if (typeof value === 'string') target.flush_policy = flushPolicy(r, value, vt);
      else throw r.error("FLUSH_POLICY is text such as 'rows:1000,interval:60'", vt);
      return;
    case 'STORAGE_ID':
      if (mode === 'alter') break;
      if (typeof value !== 'string') throw r.error('STORAGE_ID is a quoted storage id', vt);
      target.storage_id = value;
      return;
    case 'COMMENT':
      if (value !== null && typeof value !== 'string') throw r.error('COMMENT is quoted text or NULL', vt);
      target.comment = value;
      return;
  }
  throw r.error(`unknown option ${option}`, token);
}

function alter(r: Reader): Statement {
  r.expect('ALTER');
  tableType(r);
  if (isKeyword(r.peek(), 'NAMESPACE')) throw r.error('ALTER NAMESPACE is not supported here', r.peek(), 'NOT_SUPPORTED');
  r.expect('TABLE');
  const table = r.tableName();
  let change: AlterTableInput;
  if (r.accept('ADD')) {
    r.accept('COLUMN');
    change = { action: 'add_column', column: columnDefinition(r) };
  } else if (r.accept('DROP')) {
    r.accept('COLUMN');
    change = { action: 'drop_column', name: r.name('a column name').name };
  } else if (r.accept('RENAME')) {
    r.accept('COLUMN');
    const from = r.name('a column name').name;
    r.expect('TO');
    change = { action: 'rename_column', from, to: r.name('the new column name').name };
  } else if (r.accept('SET')) {
    const options: OptionTarget & { action: 'set_options' } = { action: 'set_options' };
    if (r.accept('ACCESS')) {
      r.expect('LEVEL');
      const { name, token } = r.name('an access level');
      if (!ACCESS.includes(name)) throw r.error('the access level is PUBLIC, PRIVATE, RESTRICTED or DBA', token);
      options.access_level = name as TableAccess;
    } else {
      r.accept('TBLPROPERTIES');
      r.expectPunct('(');
      do {
        const { name, token } = r.name('an option');
        r.expectPunct('=');
        applyOption(r, options, name.toUpperCase(), token, 'alter');
      } while (r.acceptPunct(','));
      r.expectPunct(')');
    }
    change = options;
  } else if (isKeyword(r.peek(), 'MODIFY') || isKeyword(r.peek(), 'ALTER')) {
    throw r.error(`${r.peek()!.text.toUpperCase()} COLUMN is not supported: drop and add the column`, r.peek(), 'NOT_SUPPORTED');
  } else throw r.error('expected ADD, DROP, RENAME or SET');
  r.end();
  return { kind: 'alter_table', table, change };
}

function drop(r: Reader): Statement {
  r.expect('DROP');
  if (r.accept('NAMESPACE')) {
    const ifExists = ifNot(r, false);
    const { name } = r.name('a namespace name');
    const cascade = r.accept('CASCADE');
    r.end();
    return { kind: 'drop_namespace', name, ifExists, cascade };
  }
  tableType(r);
  if (!isKeyword(r.peek(), 'TABLE')) throw r.error('DROP supports NAMESPACE and TABLE', r.peek(), r.peek()?.type === 'word' ? 'NOT_SUPPORTED' : 'SYNTAX');
  r.expect('TABLE');
  const ifExists = ifNot(r, false);
  const table = r.tableName();
  r.end();
  return { kind: 'drop_table', table, ifExists };
}

/** `IN [NAMESPACE] ns`. */
function inNamespace(r: Reader): string | undefined {
  if (!r.accept('IN')) return undefined;
  r.accept('NAMESPACE');
  return r.name('a namespace name').name;
}

function flush(r: Reader): Statement {
  r.expect('FLUSH');
  if (r.accept('ALL')) {
    r.accept('TABLES');
    const namespace = inNamespace(r);
    r.end();
    return { kind: 'flush_all', namespace };
  }
  r.expect('TABLE');
  const table = r.tableName();
  r.end();
  return { kind: 'flush_table', table };
}

function compact(r: Reader): Statement {
  r.expect('COMPACT');
  if (r.accept('ALL')) {
    r.accept('TABLES');
    const namespace = inNamespace(r);
    if (namespace === undefined) throw r.error('COMPACT ALL needs IN <namespace>');
    r.end();
    return { kind: 'compact_all', namespace };
  }
  r.expect('TABLE');
  const table = r.tableName();
  r.end();
  return { kind: 'compact_table', table };
}

function show(r: Reader): Statement {
  r.expect('SHOW');
  if (r.accept('NAMESPACES')) {
    r.end();
    return { kind: 'show_namespaces' };
  }
  if (r.accept('TABLES')) {
    const namespace = inNamespace(r);
    r.end();
    return { kind: 'show_tables', namespace };
  }
  if (r.accept('STATS')) {
    r.expect('FOR');
    r.expect('TABLE');
    const table = r.tableName();
    r.end();
    return { kind: 'show_stats', table };
  }
  throw r.error('SHOW supports NAMESPACES, TABLES [IN ns] and STATS FOR TABLE', r.peek(), 'NOT_SUPPORTED');
}

function executeAs(r: Reader): Statement {
  r.expect('EXECUTE');
  r.expect('AS');
  r.expect('USER');
  const t = r.peek();
  let user: string;
  if (t?.type === 'string') user = r.string('the user name').value;
  else user = r.name('the user name').name;
  const open = r.expectPunct('(');
  const body = r.rest();
  const close = body[body.length - 1];
  if (!close || close.text !== ')' || close.type !== 'punct') throw r.error('expected ")" closing EXECUTE AS', close ?? open);
  const innerTokens = body.slice(0, -1);
  if (innerTokens.length === 0) throw r.error('EXECUTE AS needs one statement inside its parentheses', close);
  if (innerTokens.some((x, i) => x.type === 'punct' && x.text === ';' && i < innerTokens.length - 1)) {
    throw r.error(
      'EXECUTE AS runs exactly one statement',
      innerTokens.find((x) => x.text === ';'),
    );
  }
  const tokens = innerTokens[innerTokens.length - 1]!.text === ';' ? innerTokens.slice(0, -1) : innerTokens;
  const inner = parseStatement({ tokens, end: close.start });
  if (inner.kind === 'execute_as' || inner.kind === 'begin' || inner.kind === 'commit' || inner.kind === 'rollback') {
    throw new SqlStatementError('NOT_SUPPORTED', `EXECUTE AS cannot hold ${verbOf(inner)}`, tokens[0]!.start, tokens[0]!.end);
  }
  return { kind: 'execute_as', user, userStart: t!.start, userEnd: t!.end, inner, innerTokens: tokens };
}
