import { ORPCError } from '@orpc/server';
import { z } from 'zod';
import type { ViewAs } from '../../shared/contract/common';
import type { NamespaceSummary, TableDescription, TableListEntry } from '../../shared/contract/tables-contract';
import type { Logger } from '../../shared/logger';
import { positionOf, type ScriptStatement, SqlLexError, splitScript, type Token } from '../../shared/sql/sql-lexer';
import {
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type SqlCell,
  type SqlColumn,
  type SqlError,
  SqlErrorCodeSchema,
  type SqlOutcome,
  SqlOutcomeSchema,
  type SqlRunResult,
} from '../../shared/sql/sql-results';
import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import { executeAsUser } from '../engine/sql/execute-as';
import type { QueryHost } from '../engine/sql/query-host';
import { SqlStatementError } from '../engine/sql/sql-statement-error';
import { SqlQueries } from '../engine/sql/sql-queries';
import { parseStatement, type Statement, type TableName, verbOf } from '../engine/sql/statements';
import type { DataCatalog } from './data-catalog';
import { toContractError } from './errors';
import { arrayResult, type ResultSource, type SqlResults } from './sql-results';
import { runDml } from './sql-writes';
import type { Acting } from './view-as';
import type { Writer } from './writer';

/**
 * The procedures the console runs for KalamDB's own statements: the very ones the dialogs and the
 * job buttons call (validation, rights, read-only, audit and change events included), through an
 * in-process client of the router, as the statement's subject.
 */
export interface SqlCalls {
  ddl: {
    createNamespace(input: object): Promise<{ statement: string }>;
    dropNamespace(input: object): Promise<{ statement: string }>;
    createTable(input: object): Promise<{ statement: string }>;
    alterTable(input: object): Promise<{ statement: string }>;
    dropTable(input: object): Promise<{ statement: string }>;
  };
  jobs: { start(input: object): Promise<{ jobs: { job_id: string }[] }> };
  tables: {
    list(input: object): Promise<TableListEntry[]>;
    describe(input: object): Promise<TableDescription>;
    namespaces(input: object): Promise<NamespaceSummary[]>;
  };
  rows: { count(input: object): Promise<{ count: number; capped: boolean }> };
}

export interface SqlRunOptions {
  readonly script: string;
  readonly acting: Acting;
  /** The call's `as` (what the in-process calls pass on). */
  readonly as: ViewAs | undefined;
  readonly pageSize: number;
  readonly timeoutMs: number | undefined;
  readonly calls: SqlCalls;
  /** Set when sql.cancel names this run. */
  readonly cancelled: () => boolean;
  /** The run's id (sql.cancel stops its query in the query worker). */
  readonly runId?: string | undefined;
}

/** A SUBSCRIBE TO's query, ready to run again and again. */
export interface LiveQuery {
  readonly script: string;
  /** The SUBSCRIBE statement (its text is shown as the live query's filter). */
  readonly statement: ScriptStatement;
  /** Its query's tokens. */
  readonly tokens: readonly Token[];
  readonly subject: Subject;
  /** Whom its system.live_queries rows name. */
  readonly user: Acting['user'];
  /** The tables it reads ("namespace.table"). */
  readonly tables: string[];
}

export interface LiveSnapshot {
  readonly columns: SqlColumn[];
  readonly keyColumns: number[];
  readonly rows: SqlCell[][];
  readonly truncated: boolean;
}

/** What a statement runs as. */
interface Runner {
  readonly acting: Acting;
  readonly as: ViewAs | undefined;
}

const WRITE_KINDS = new Set<Statement['kind']>([
  'insert',
  'update',
  'delete',
  'create_namespace',
  'drop_namespace',
  'create_table',
  'alter_table',
  'drop_table',
  'flush_table',
  'flush_all',
  'compact_table',
  'compact_all',
  'restore',
]);
const DML = new Set<Statement['kind']>(['insert', 'update', 'delete']);
/** Statements BEGIN … COMMIT may hold: they run inside its one transaction. */
const IN_TRANSACTION = new Set<Statement['kind']>(['insert', 'update', 'delete', 'query', 'explain']);

/**
 * Runs console scripts: statement by statement, stopping at the first error; BEGIN … COMMIT runs
 * its statements (writes and queries) in one transaction, all or nothing.
 */
export class SqlExecutor {
  readonly queries: SqlQueries;

  constructor(
    private readonly engine: Engine,
    private readonly data: DataCatalog,
    private readonly writer: Writer,
    readonly results: SqlResults,
    private readonly logger: Logger,
    /** Where queries outside BEGIN … COMMIT run (absent: on this thread, as the CLI runs them). */
    private readonly host?: QueryHost,
  ) {
    this.queries = new SqlQueries(engine);
  }

  /**
   * SUBSCRIBE TO's query: the script's one statement, parsed, with the subject it reads as (EXECUTE
   * AS applied) and the tables it reads; or the error, at its position.
   */
  live(script: string, acting: Acting): { query: LiveQuery } | { error: SqlError } {
    let st: ScriptStatement | undefined;
    try {
      const statements = splitScript(script);
      st = statements[0];
      if (statements.length !== 1 || !st) {
        const at = statements[1] ?? { start: 0, end: script.length };
        throw new SqlStatementError('NOT_SUPPORTED', 'sql.subscribe runs one SUBSCRIBE TO statement', at.start, at.end);
      }
      const parsed = parseStatement(st);
      const { statement, runner } = this.runnerFor(parsed, { acting, as: undefined });
      if (statement.kind !== 'subscribe') throw new SqlStatementError('NOT_SUPPORTED', `${verbOf(parsed)} is not SUBSCRIBE TO <query>`, st.start, st.end);
      const tables = this.queries.plan(statement.tokens, script).tables.map((t) => t.label);
      return { query: { script, statement: st, tokens: statement.tokens, subject: runner.acting.subject, user: runner.acting.user, tables } };
    } catch (e) {
      if (e instanceof SqlLexError) return { error: { code: 'SYNTAX', message: e.message, statement: 0, position: positionOf(script, e.start, e.end) } };
      return { error: this.error(script, st ?? { index: 0, start: 0, end: script.length, text: script, tokens: [] }, e) };
    }
  }

  /** A live query's whole result (up to `limit` rows), in the query worker when there is one. */
  async snapshot(query: LiveQuery, limit: number): Promise<LiveSnapshot> {
    const { tokens, script, subject } = query;
    const timeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS;
    // One row more than the limit: whether the result was cut.
    let read: { columns: SqlColumn[]; keyColumns: number[]; rows: SqlCell[][] };
    if (this.host) {
      const open = await this.host.open({ tokens, script, subject, explain: false, limit: limit + 1, timeoutMs });
      open.close();
      read = { columns: open.columns, keyColumns: open.keyColumns, rows: open.first.rows };
    } else {
      const open = this.queries.open(tokens, script, subject);
      try {
        read = { columns: open.columns, keyColumns: open.keyColumns, rows: open.next(limit + 1, timeoutMs).rows };
      } finally {
        open.close();
      }
    }
    const truncated = read.rows.length > limit;
    return { ...read, rows: truncated ? read.rows.slice(0, limit) : read.rows, truncated };
  }

  /** A live query's failure as the statement's typed error. */
  liveError(query: LiveQuery, e: unknown): SqlError {
    return this.error(query.script, query.statement, e);
  }

  /** Stops the query `runId` is running in the query worker (between statements the run's own flag stops it). */
  cancel(runId: string): boolean {
    return this.host?.cancel(runId) ?? false;
  }

  async run(options: SqlRunOptions): Promise<SqlRunResult> {
    const { script } = options;
    const outcomes: SqlOutcome[] = [];
    let statements: ScriptStatement[];
    try {
      statements = splitScript(script);
    } catch (e) {
      if (!(e instanceof SqlLexError)) throw e;
      return { outcomes, error: { code: 'SYNTAX', message: e.message, statement: 0, position: positionOf(script, e.start, e.end) } };
    }
    const runner: Runner = { acting: options.acting, as: options.as };
    for (let i = 0; i < statements.length; i++) {
      const st = statements[i]!;
      if (options.cancelled())
        return { outcomes, error: this.error(script, st, new SqlStatementError('CANCELLED', 'the script was cancelled', st.start, st.end)) };
      let parsed: Statement;
      try {
        parsed = parseStatement(st);
      } catch (e) {
        return { outcomes, error: this.error(script, st, e) };
      }
      if (parsed.kind === 'begin') {
        const block = this.block(statements, i);
        if ('error' in block) return { outcomes, error: this.error(script, block.at, block.error) };
        const result = this.transaction(script, block.statements, block.commit, runner, options);
        outcomes.push(this.message(script, st, 'BEGIN', 0, 'transaction started'));
        outcomes.push(...result.outcomes);
        if (result.error) return { outcomes, error: result.error, rolledBack: block.statements.map((s) => s.st.index) };
        const end = statements[block.end]!;
        outcomes.push(this.message(script, end, block.commit ? 'COMMIT' : 'ROLLBACK', 0, block.commit ? 'committed' : 'rolled back'));
        i = block.end;
        continue;
      }
      if (parsed.kind === 'commit' || parsed.kind === 'rollback') {
        return { outcomes, error: this.error(script, st, new SqlStatementError('SYNTAX', `${verbOf(parsed)} without BEGIN`, st.start, st.end)) };
      }
      const started = performance.now();
      try {
        outcomes.push(await this.statement(script, st, parsed, runner, options, started));
      } catch (e) {
        return { outcomes, error: this.error(script, st, e) };
      }
    }
    return { outcomes };
  }

  /** The statements of BEGIN at `begin` up to its COMMIT or ROLLBACK, each parsed and allowed in a transaction. */
  private block(
    statements: ScriptStatement[],
    begin: number,
  ): { statements: { st: ScriptStatement; parsed: Statement }[]; end: number; commit: boolean } | { error: unknown; at: ScriptStatement } {
    const out: { st: ScriptStatement; parsed: Statement }[] = [];
    for (let j = begin + 1; j < statements.length; j++) {
      const st = statements[j]!;
      let parsed: Statement;
      try {
        parsed = parseStatement(st);
      } catch (e) {
        return { error: e, at: st };
      }
      if (parsed.kind === 'commit' || parsed.kind === 'rollback') return { statements: out, end: j, commit: parsed.kind === 'commit' };
      const kind = parsed.kind === 'execute_as' ? parsed.inner.kind : parsed.kind;
      if (!IN_TRANSACTION.has(kind)) {
        return {
          error: new SqlStatementError(
            'NOT_SUPPORTED',
            `${verbOf(parsed)} cannot run inside BEGIN … COMMIT (only queries, INSERT, UPDATE and DELETE): nothing of the block ran`,
            st.start,
            st.end,
          ),
          at: st,
        };
      }
      out.push({ st, parsed });
    }
    const st = statements[begin]!;
    return { error: new SqlStatementError('SYNTAX', 'BEGIN without COMMIT or ROLLBACK: nothing of the block ran', st.start, st.end), at: st };
  }

  /** A BEGIN … COMMIT block in one write transaction (ROLLBACK: run, then undone). */
  private transaction(
    script: string,
    block: { st: ScriptStatement; parsed: Statement }[],
    commit: boolean,
    runner: Runner,
    options: SqlRunOptions,
  ): { outcomes: SqlOutcome[]; error?: SqlError } {
    const outcomes: SqlOutcome[] = [];
    let failed: SqlError | undefined;
    const rollback = new Error('ROLLBACK');
    try {
      this.writer.commit(
        runner.acting.actor,
        (scope) => {
          for (const { st, parsed } of block) {
            const started = performance.now();
            try {
              outcomes.push(this.syncStatement(script, st, parsed, runner, options, started, scope));
            } catch (e) {
              failed = this.error(script, st, e);
              throw e;
            }
          }
          // ROLLBACK: every statement ran (its outcome is shown), then the transaction is undone.
          if (!commit) throw rollback;
          return outcomes;
        },
        { output: z.array(SqlOutcomeSchema) },
      );
    } catch (e) {
      if (failed) return { outcomes: [], error: failed };
      if (e === rollback) return { outcomes };
      throw e;
    }
    return { outcomes };
  }

  /** The subject a statement runs as: the run's, or EXECUTE AS USER's after KalamDB's target rules. */
  private runnerFor(parsed: Statement, runner: Runner): { statement: Statement; runner: Runner } {
    if (parsed.kind !== 'execute_as') return { statement: parsed, runner };
    const user = executeAsUser(this.engine, parsed, runner.acting.subject);
    const subject: Subject = { userId: user.user_id, role: user.role };
    return {
      statement: parsed.inner,
      runner: { acting: { subject, actor: subject, user: user.user_id, admin: false }, as: { userId: user.user_id } },
    };
  }

  /** A statement outside BEGIN: writes in a transaction of their own, DDL and jobs through their procedures. */
  private async statement(script: string, st: ScriptStatement, parsed: Statement, outer: Runner, options: SqlRunOptions, started: number): Promise<SqlOutcome> {
    const { statement, runner } = this.runnerFor(parsed, outer);
    if (WRITE_KINDS.has(statement.kind)) this.engine.readOnly.assertWritable();
    const verb = verbOf(parsed);
    if (DML.has(statement.kind) || statement.kind === 'query' || statement.kind === 'explain') {
      if (!DML.has(statement.kind)) {
        if (this.host && (statement.kind === 'query' || statement.kind === 'explain')) {
          // A primary-key point lookup is one key read, as rows.get makes here: answered in place,
          // without the hop to the query worker. Every other query runs there.
          const point = statement.kind === 'query' ? this.queries.openPoint(statement.tokens, runner.acting.subject) : undefined;
          if (point) return this.rows(script, st, verb, started, point, runner, options);
          return this.workerRows(script, st, verb, started, statement, runner, options, this.host);
        }
        return this.syncStatement(script, st, parsed, outer, options, started, undefined);
      }
      return this.writer.commit(runner.acting.actor, (scope) => this.syncStatement(script, st, parsed, outer, options, started, scope), {
        output: SqlOutcomeSchema,
      });
    }
    const calls = options.calls;
    const as = runner.as;
    const ref = (t: TableName) => this.ref(t);
    const done = (extra: { kind: 'ddl'; message: string; applied: string } | { kind: 'job'; jobIds: string[] }): SqlOutcome =>
      ({ ...this.head(script, st, verb, started), ...extra }) as SqlOutcome;
    const rows = (columns: [string, string | null][], cells: SqlCell[][]): SqlOutcome =>
      this.rows(
        script,
        st,
        verb,
        started,
        arrayResult(
          columns.map(([name, type]) => ({ name, type })),
          cells,
        ),
        runner,
        options,
      );
    switch (statement.kind) {
      case 'create_namespace': {
        if (statement.ifNotExists && (await calls.tables.namespaces({ as })).some((n) => n.name === statement.name)) {
          return done({ kind: 'ddl', message: `namespace ${statement.name} already exists`, applied: '' });
        }
        const r = await calls.ddl.createNamespace({ as, name: statement.name, ...(statement.comment !== undefined ? { comment: statement.comment } : {}) });
        return done({ kind: 'ddl', message: `namespace ${statement.name} created`, applied: r.statement });
      }
      case 'drop_namespace': {
        if (statement.ifExists && !(await calls.tables.namespaces({ as })).some((n) => n.name === statement.name)) {
          return done({ kind: 'ddl', message: `no namespace ${statement.name}`, applied: '' });
        }
        const r = await calls.ddl.dropNamespace({ as, name: statement.name, cascade: statement.cascade });
        return done({ kind: 'ddl', message: `namespace ${statement.name} dropped`, applied: r.statement });
      }
      case 'create_table': {
        const label = `${statement.input.namespace}.${statement.input.name}`;
        if (statement.ifNotExists && (await calls.tables.list({ as })).some((t) => t.table === label)) {
          return done({ kind: 'ddl', message: `table ${label} already exists`, applied: '' });
        }
        const r = await calls.ddl.createTable({ as, ...statement.input });
        return done({ kind: 'ddl', message: `table ${label} created`, applied: r.statement });
      }
      case 'alter_table': {
        const r = await calls.ddl.alterTable({ as, table: ref(statement.table), change: statement.change });
        return done({ kind: 'ddl', message: `table ${ref(statement.table)} altered`, applied: r.statement });
      }
      case 'drop_table': {
        const table = ref(statement.table);
        if (statement.ifExists && !(await calls.tables.list({ as })).some((t) => t.table === table))
          return done({ kind: 'ddl', message: `no table ${table}`, applied: '' });
        const r = await calls.ddl.dropTable({ as, table });
        return done({ kind: 'ddl', message: `table ${table} dropped`, applied: r.statement });
      }
      case 'flush_table':
        return done({ kind: 'job', jobIds: (await calls.jobs.start({ as, type: 'flush', table: ref(statement.table) })).jobs.map((j) => j.job_id) });
      case 'compact_table':
        return done({ kind: 'job', jobIds: (await calls.jobs.start({ as, type: 'compact', table: ref(statement.table) })).jobs.map((j) => j.job_id) });
      case 'flush_all':
      case 'compact_all': {
        if (statement.namespace === undefined)
          return done({ kind: 'job', jobIds: (await calls.jobs.start({ as, type: 'flush_all' })).jobs.map((j) => j.job_id) });
        const namespace = statement.namespace;
        if (!(await calls.tables.namespaces({ as })).some((n) => n.name === namespace))
          throw new SqlStatementError('NOT_FOUND', `no namespace ${namespace}`, st.start, st.end);
        const tables = (await calls.tables.list({ as })).filter((t) => t.namespace === namespace && (t.kind === 'shared' || t.kind === 'user'));
        const jobIds: string[] = [];
        for (const t of tables) {
          const type = statement.kind === 'flush_all' ? 'flush' : 'compact';
          jobIds.push(...(await calls.jobs.start({ as, type, table: t.table })).jobs.map((j) => j.job_id));
        }
        return done({ kind: 'job', jobIds });
      }
      case 'backup':
      case 'restore':
        return done({ kind: 'job', jobIds: (await calls.jobs.start({ as, type: statement.kind, folder: statement.folder })).jobs.map((j) => j.job_id) });
      case 'show_namespaces': {
        const list = await calls.tables.namespaces({ as });
        return rows(
          [
            ['namespace', 'text'],
            ['comment', 'text'],
            ['tables', 'integer'],
          ],
          list.map((n) => [n.name, n.comment ?? null, n.tables]),
        );
      }
      case 'show_tables': {
        const list = (await calls.tables.list({ as })).filter((t) => statement.namespace === undefined || t.namespace === statement.namespace);
        return rows(
          [
            ['namespace', 'text'],
            ['table_name', 'text'],
            ['table_type', 'text'],
            ['access_level', 'text'],
          ],
          list.map((t) => [t.namespace, t.name, t.kind, t.access]),
        );
      }
      case 'describe_table': {
        const d = await calls.tables.describe({ as, table: ref(statement.table) });
        const defaults = new Map((d.definition?.columns ?? []).map((c) => [c.name, c.default]));
        return rows(
          [
            ['column_name', 'text'],
            ['data_type', 'text'],
            ['is_nullable', 'boolean'],
            ['is_primary_key', 'boolean'],
            ['column_default', 'json'],
          ],
          d.columns.map((c) => {
            const def = defaults.get(c.name);
            return [c.name, c.type, c.nullable ? 1 : 0, d.keyColumns.includes(c.name) ? 1 : 0, def === undefined ? null : JSON.stringify(def)];
          }),
        );
      }
      case 'show_stats':
        return rows(...(await this.stats(ref(statement.table), calls, as)));
      case 'subscribe':
        throw new SqlStatementError('NOT_SUPPORTED', 'SUBSCRIBE keeps its result open: run it through sql.subscribe (the console does)', st.start, st.end);
      case 'begin':
      case 'commit':
      case 'rollback':
      case 'execute_as':
      case 'insert':
      case 'update':
      case 'delete':
        throw new Error(`${statement.kind} is handled before`);
    }
  }

  /** SHOW STATS FOR TABLE: KalamDB's columns, from our hot and cold sides. */
  private async stats(table: string, calls: SqlCalls, as: ViewAs | undefined): Promise<[[string, string | null][], SqlCell[][]]> {
    const description = await calls.tables.describe({ as, table });
    if (!description.definition) throw new Error('system tables have no stats');
    const entry = this.data.resolve(table);
    const visible = await calls.rows.count({ as, table });
    const segments = entry.store.kind === 'stream' ? [] : this.engine.cold.segments(entry.store.schema);
    const columns: [string, string | null][] = [
      ['table_name', 'text'],
      ['namespace', 'text'],
      ['schema_version', 'integer'],
      ['logical_rows', 'integer'],
      ['hot_rows', 'integer'],
      ['cold_rows', 'integer'],
      ['flushed_segments', 'integer'],
      ['segment_bytes', 'integer'],
    ];
    const row: SqlCell[] = [
      entry.id.table,
      entry.id.namespace,
      entry.meta.schema_version,
      visible.count,
      entry.store.countHot(),
      segments.reduce((n, s) => n + s.entry.row_count, 0),
      segments.length,
      segments.reduce((n, s) => n + s.entry.size_bytes, 0),
    ];
    return [columns, [row]];
  }

  /** Queries, EXPLAIN and DML: synchronous (inside a BEGIN block's transaction, or a DML statement's own). */
  private syncStatement(
    script: string,
    st: ScriptStatement,
    parsed: Statement,
    outer: Runner,
    options: SqlRunOptions,
    started: number,
    scope: Parameters<typeof runDml>[6] | undefined,
  ): SqlOutcome {
    const { statement, runner } = this.runnerFor(parsed, outer);
    const verb = verbOf(parsed);
    const timeout = options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    const subject = runner.acting.subject;
    switch (statement.kind) {
      case 'query':
        return this.rows(script, st, verb, started, this.queries.open(statement.tokens, script, subject), runner, options);
      case 'explain': {
        const { columns, rows } = this.queries.explain(statement.tokens, script, subject);
        return this.rows(script, st, verb, started, arrayResult(columns, rows), runner, options);
      }
      case 'insert':
      case 'update':
      case 'delete': {
        this.engine.readOnly.assertWritable();
        const entry = this.data.resolve(this.ref(statement.table));
        const affected = runDml(statement, script, st.text, entry, subject, this.queries, scope!, timeout);
        return { ...this.head(script, st, verb, started), kind: 'changed', affected };
      }
      default:
        throw new SqlStatementError('NOT_SUPPORTED', `${verb} cannot run here`, st.start, st.end);
    }
  }

  /** A query or EXPLAIN in the query worker: its first page now, the next ones through sql.page. */
  private async workerRows(
    script: string,
    st: ScriptStatement,
    verb: string,
    started: number,
    statement: Extract<Statement, { kind: 'query' | 'explain' }>,
    runner: Runner,
    options: SqlRunOptions,
    host: QueryHost,
  ): Promise<SqlOutcome> {
    const query = await host.open({
      tokens: statement.tokens,
      script,
      subject: runner.acting.subject,
      explain: statement.kind === 'explain',
      limit: options.pageSize,
      timeoutMs: options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
      run: options.runId,
    });
    const source: ResultSource = { columns: query.columns, next: (limit, timeoutMs) => query.next(limit, timeoutMs), close: () => query.close() };
    const { resultId, page } = this.results.add(source, query.first, runner.acting.subject);
    return { ...this.head(script, st, verb, started), kind: 'rows', resultId, columns: query.columns, page };
  }

  private rows(
    script: string,
    st: ScriptStatement,
    verb: string,
    started: number,
    source: Parameters<SqlResults['first']>[0],
    runner: Runner,
    options: SqlRunOptions,
  ): SqlOutcome {
    const { resultId, page } = this.results.first(source, runner.acting.subject, options.pageSize, options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS);
    return { ...this.head(script, st, verb, started), kind: 'rows', resultId, columns: source.columns, page };
  }

  private message(script: string, st: ScriptStatement, verb: string, started: number, message: string): SqlOutcome {
    return { ...this.head(script, st, verb, started || performance.now()), kind: 'message', message };
  }

  private head(script: string, st: ScriptStatement, verb: string, started: number) {
    return { statement: st.index, position: positionOf(script, st.start, st.end), verb, durationMs: Math.max(0, performance.now() - started) };
  }

  /** "namespace.table" of a statement's table (the namespace is required). */
  private ref(t: TableName): string {
    if (t.namespace === undefined) throw new SqlStatementError('UNKNOWN_TABLE', `name the table with its namespace: namespace.${t.table}`, t.start, t.end);
    return `${t.namespace}.${t.table}`;
  }

  /** Any failure as the statement's typed error, at its own position or the statement's. */
  private error(script: string, st: ScriptStatement, e: unknown): SqlError {
    if (e instanceof SqlStatementError) {
      const [start, end] = e.start === 0 && e.end === 0 ? [st.start, st.end] : [e.start, e.end];
      return { code: e.code, message: e.message, statement: st.index, position: positionOf(script, start, end) };
    }
    const c = e instanceof ORPCError ? (e as ORPCError<string, unknown>) : toContractError(e, this.logger, ['sql', 'run']);
    const code = SqlErrorCodeSchema.safeParse(c.code);
    const issues = (c.data as { issues?: { field: string; message: string }[] } | undefined)?.issues;
    return {
      code: code.success ? code.data : 'EXECUTION',
      message: c.message,
      statement: st.index,
      position: positionOf(script, st.start, st.end),
      ...(issues ? { issues } : {}),
    };
  }
}
