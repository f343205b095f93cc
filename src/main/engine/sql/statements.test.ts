import { describe, expect, it } from 'vitest';
import { splitScript } from '../../../shared/sql/sql-lexer';
import { parseStatement, type Statement, verbOf } from './statements';
import { SqlStatementError } from './sql-statement-error';

/** The one statement of `sql`, parsed. */
function parse(sql: string): Statement {
  const statements = splitScript(sql);
  expect(statements).toHaveLength(1);
  return parseStatement(statements[0]!);
}

/** The parser's refusal of `sql`: its code, message and the text it points at. */
function refusal(sql: string): { code: string; message: string; at: string } {
  try {
    parse(sql);
  } catch (e) {
    expect(e).toBeInstanceOf(SqlStatementError);
    const err = e as SqlStatementError;
    return { code: err.code, message: err.message, at: sql.slice(err.start, err.end) };
  }
  throw new Error(`parsed: ${sql}`);
}

const table = (namespace: string | undefined, name: string): unknown => expect.objectContaining({ namespace, table: name }) as unknown;

describe('KalamDB statements (golden)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['SELECT 1', { kind: 'query' }],
    ['WITH t AS (SELECT 1) SELECT * FROM t', { kind: 'query' }],
    ['VALUES (1), (2)', { kind: 'query' }],
    ['EXPLAIN SELECT * FROM demo.notes', { kind: 'explain' }],
    ['EXPLAIN QUERY PLAN SELECT 1', { kind: 'explain' }],
    ['SUBSCRIBE TO SELECT * FROM demo.notes', { kind: 'subscribe' }],
    ["INSERT INTO demo.notes (id, title) VALUES (1, 'a')", { kind: 'insert', table: table('demo', 'notes'), columns: ['id', 'title'] }],
    ['INSERT INTO demo.notes SELECT * FROM demo.old', { kind: 'insert', columns: undefined }],
    ['INSERT INTO demo.notes (id) WITH x AS (SELECT 1) SELECT * FROM x', { kind: 'insert', columns: ['id'] }],
    ["UPDATE demo.notes SET title = 'b', n = (1 + 2) WHERE id = 1", { kind: 'update', alias: undefined }],
    ["UPDATE demo.notes AS n SET title = 'b'", { kind: 'update', alias: 'n', where: [] }],
    ["UPDATE demo.notes n SET title = 'b'", { kind: 'update', alias: 'n' }],
    ['DELETE FROM demo.notes WHERE id IN (SELECT id FROM demo.old ORDER BY id LIMIT 2)', { kind: 'delete' }],
    ['DELETE FROM demo.notes', { kind: 'delete', where: [] }],
    ['BEGIN', { kind: 'begin' }],
    ['BEGIN TRANSACTION', { kind: 'begin' }],
    ['START TRANSACTION', { kind: 'begin' }],
    ['COMMIT', { kind: 'commit' }],
    ['END TRANSACTION', { kind: 'commit' }],
    ['ROLLBACK', { kind: 'rollback' }],
    ['CREATE NAMESPACE app', { kind: 'create_namespace', name: 'app', ifNotExists: false, comment: undefined }],
    ["CREATE NAMESPACE IF NOT EXISTS app COMMENT 'mine'", { kind: 'create_namespace', ifNotExists: true, comment: 'mine' }],
    ['DROP NAMESPACE app', { kind: 'drop_namespace', ifExists: false, cascade: false }],
    ['DROP NAMESPACE IF EXISTS app CASCADE', { kind: 'drop_namespace', ifExists: true, cascade: true }],
    ['DROP TABLE demo.notes', { kind: 'drop_table', ifExists: false }],
    ['DROP USER TABLE IF EXISTS demo.notes', { kind: 'drop_table', ifExists: true }],
    ['FLUSH TABLE demo.notes', { kind: 'flush_table', table: table('demo', 'notes') }],
    ['STORAGE FLUSH TABLE demo.notes', { kind: 'flush_table' }],
    ['FLUSH ALL TABLES', { kind: 'flush_all', namespace: undefined }],
    ['FLUSH ALL IN NAMESPACE demo', { kind: 'flush_all', namespace: 'demo' }],
    ['COMPACT TABLE demo.notes', { kind: 'compact_table' }],
    ['STORAGE COMPACT ALL TABLES IN demo', { kind: 'compact_all', namespace: 'demo' }],
    ["BACKUP DATABASE TO '/tmp/b'", { kind: 'backup', folder: '/tmp/b' }],
    ["RESTORE DATABASE FROM '/tmp/b'", { kind: 'restore', folder: '/tmp/b' }],
    ['SHOW NAMESPACES', { kind: 'show_namespaces' }],
    ['SHOW TABLES', { kind: 'show_tables', namespace: undefined }],
    ['SHOW TABLES IN demo', { kind: 'show_tables', namespace: 'demo' }],
    ['SHOW STATS FOR TABLE demo.notes', { kind: 'show_stats' }],
    ['DESCRIBE TABLE demo.notes', { kind: 'describe_table' }],
    ['DESC demo.notes', { kind: 'describe_table' }],
    ["EXECUTE AS USER 'bob' (SELECT * FROM demo.notes)", { kind: 'execute_as', user: 'bob', inner: expect.objectContaining({ kind: 'query' }) }],
    ['EXECUTE AS USER bob (DELETE FROM demo.notes WHERE id = 1;)', { kind: 'execute_as', user: 'bob', inner: expect.objectContaining({ kind: 'delete' }) }],
  ])('%s', (sql, expected) => {
    expect(parse(sql)).toMatchObject(expected);
  });

  it('CREATE TABLE: types, lengths, keys, defaults, nullability and every option', () => {
    const created = parse(
      "CREATE USER TABLE IF NOT EXISTS app.notes (id BIGINT NOT NULL, title VARCHAR(200) NULL DEFAULT 'x', meta JSON DEFAULT '{\"a\":1}', n DOUBLE, " +
        "CONSTRAINT pk PRIMARY KEY (id)) WITH (ACCESS_LEVEL = 'private', TTL_SECONDS = 60, FLUSH_POLICY = 'rows:100, interval:30s', STORAGE_ID = 'local', COMMENT = 'c')",
    );
    expect(created).toMatchObject({
      kind: 'create_table',
      ifNotExists: true,
      input: {
        namespace: 'app',
        name: 'notes',
        type: 'user',
        access_level: 'private',
        ttl_seconds: 60,
        flush_policy: { row_limit: 100, interval_seconds: 30 },
        storage_id: 'local',
        comment: 'c',
        columns: [
          { name: 'id', type: 'integer', primary_key: true, nullable: false },
          { name: 'title', type: 'text', nullable: true, default: 'x' },
          { name: 'meta', type: 'json', default: { a: 1 } },
          { name: 'n', type: 'double' },
        ],
      },
    });
    expect(parse("CREATE TABLE app.t (id BIGINT PRIMARY KEY) WITH (TYPE = 'stream') COMMENT 'x'")).toMatchObject({
      input: { type: 'stream', comment: 'x', columns: [{ name: 'id', primary_key: true }] },
    });
    expect(parse('CREATE TABLE app.t (id BIGINT PRIMARY KEY, PRIMARY KEY (id))')).toMatchObject({ input: { type: 'shared' } });
  });

  it('ALTER TABLE: add, drop, rename, access level and options', () => {
    expect(parse('ALTER TABLE app.t ADD COLUMN n BIGINT DEFAULT 0')).toMatchObject({ change: { action: 'add_column', column: { name: 'n', default: 0 } } });
    expect(parse('ALTER SHARED TABLE app.t DROP n')).toMatchObject({ change: { action: 'drop_column', name: 'n' } });
    expect(parse('ALTER TABLE app.t RENAME COLUMN a TO b')).toMatchObject({ change: { action: 'rename_column', from: 'a', to: 'b' } });
    expect(parse('ALTER TABLE app.t SET ACCESS LEVEL public')).toMatchObject({ change: { action: 'set_options', access_level: 'public' } });
    expect(parse('ALTER TABLE app.t SET TBLPROPERTIES (FLUSH_POLICY = NULL, COMMENT = NULL, TTL_SECONDS = 5)')).toMatchObject({
      change: { action: 'set_options', flush_policy: null, comment: null, ttl_seconds: 5 },
    });
    expect(parse("ALTER TABLE app.t SET (FLUSH_POLICY = 'ROWS 10')")).toMatchObject({ change: { flush_policy: { row_limit: 10 } } });
  });

  it.each<[string, string, RegExp, string]>([
    ['PRAGMA x', 'NOT_SUPPORTED', /does not start a statement/, 'PRAGMA'],
    ['FROBNICATE x', 'SYNTAX', /does not start a statement/, 'FROBNICATE'],
    ['KILL 1', 'NOT_SUPPORTED', /KILL is not supported/, 'KILL'],
    ['EXPLAIN QUERY x', 'SYNTAX', /expected PLAN/, 'x'],
    ['SUBSCRIBE TO DELETE FROM demo.notes', 'SYNTAX', /takes a query/, 'DELETE'],
    ['INSERT OR REPLACE INTO demo.notes VALUES (1)', 'NOT_SUPPORTED', /INSERT OR/, 'OR'],
    ['INSERT INTO demo.notes DEFAULT VALUES', 'SYNTAX', /expected VALUES or SELECT/, 'DEFAULT'],
    ['INSERT INTO demo.notes VALUES (1) RETURNING id', 'NOT_SUPPORTED', /RETURNING is not supported/, 'RETURNING'],
    ['INSERT INTO demo.notes VALUES (1) ON CONFLICT DO NOTHING', 'NOT_SUPPORTED', /ON is not supported/, 'ON'],
    ['UPDATE demo.notes SET title = WHERE id = 1', 'SYNTAX', /expected a value for title/, 'WHERE'],
    ['UPDATE demo.notes SET title = 1 WHERE id = 1 LIMIT 1', 'NOT_SUPPORTED', /LIMIT is not supported/, 'LIMIT'],
    ['DELETE FROM demo.notes WHERE', 'SYNTAX', /a condition after WHERE/, ''],
    // ORDER reads as an alias here: what follows it must be WHERE.
    ['DELETE FROM demo.notes ORDER BY id', 'SYNTAX', /expected WHERE/, 'BY'],
    ['START', 'SYNTAX', /expected TRANSACTION/, ''],
    ['COMMIT now', 'SYNTAX', /unexpected "now"/, 'now'],
    ['CREATE INDEX i ON demo.notes (id)', 'NOT_SUPPORTED', /CREATE supports NAMESPACE/, 'INDEX'],
    ['CREATE TABLE t (id BIGINT)', 'SYNTAX', /namespace\.table/, 't'],
    ['CREATE TABLE app.t (id BIGINT, PRIMARY KEY (id, n))', 'NOT_SUPPORTED', /composite primary keys/, ','],
    ['CREATE TABLE app.t (id BIGINT, PRIMARY KEY (nope))', 'SYNTAX', /no column "nope"/, 'nope'],
    ['CREATE TABLE app.t (id UUID)', 'SYNTAX', /unknown column type "UUID"/, 'UUID'],
    ["CREATE TABLE app.t (id JSON DEFAULT '{')", 'SYNTAX', /JSON default must be JSON text/, "'{'"],
    ["CREATE TABLE app.t (id BIGINT) WITH (TYPE = 'table')", 'SYNTAX', /TYPE is USER, SHARED or STREAM/, "'table'"],
    ["CREATE USER TABLE app.t (id BIGINT) WITH (TYPE = 'shared')", 'SYNTAX', /contradicts CREATE USER TABLE/, "'shared'"],
    ["CREATE TABLE app.t (id BIGINT) WITH (ACCESS_LEVEL = 'world')", 'SYNTAX', /ACCESS_LEVEL is PUBLIC/, "'world'"],
    ["CREATE TABLE app.t (id BIGINT) WITH (TTL_SECONDS = 'x')", 'SYNTAX', /TTL_SECONDS is a whole number/, "'x'"],
    ["CREATE TABLE app.t (id BIGINT) WITH (FLUSH_POLICY = 'often')", 'SYNTAX', /"often" is not "rows:N"/, "'often'"],
    ["CREATE TABLE app.t (id BIGINT) WITH (FLUSH_POLICY = ',')", 'SYNTAX', /needs rows, an interval, or both/, "','"],
    ['CREATE TABLE app.t (id BIGINT) WITH (FLUSH_POLICY = 5)', 'SYNTAX', /FLUSH_POLICY is text/, '5'],
    ['CREATE TABLE app.t (id BIGINT) WITH (STORAGE_ID = 5)', 'SYNTAX', /STORAGE_ID is a quoted storage id/, '5'],
    ['CREATE TABLE app.t (id BIGINT) WITH (COMMENT = 5)', 'SYNTAX', /COMMENT is quoted text or NULL/, '5'],
    ['CREATE TABLE app.t (id BIGINT) WITH (COLOUR = 5)', 'SYNTAX', /unknown option COLOUR/, 'COLOUR'],
    ["ALTER TABLE app.t SET (STORAGE_ID = 'x')", 'SYNTAX', /unknown option STORAGE_ID/, 'STORAGE_ID'],
    ['ALTER NAMESPACE app', 'NOT_SUPPORTED', /ALTER NAMESPACE/, 'NAMESPACE'],
    ['ALTER TABLE app.t MODIFY COLUMN n TEXT', 'NOT_SUPPORTED', /MODIFY COLUMN is not supported/, 'MODIFY'],
    ['ALTER TABLE app.t TRUNCATE', 'SYNTAX', /expected ADD, DROP, RENAME or SET/, 'TRUNCATE'],
    ['ALTER TABLE app.t SET ACCESS LEVEL world', 'SYNTAX', /the access level is PUBLIC/, 'world'],
    ['DROP INDEX i', 'NOT_SUPPORTED', /DROP supports NAMESPACE and TABLE/, 'INDEX'],
    ['STORAGE CHECK', 'SYNTAX', /expected FLUSH or COMPACT/, 'CHECK'],
    ['COMPACT ALL TABLES', 'SYNTAX', /COMPACT ALL needs IN <namespace>/, ''],
    ['BACKUP DATABASE TO /tmp/b', 'SYNTAX', /the folder as a quoted string/, '/'],
    ['SHOW USERS', 'NOT_SUPPORTED', /SHOW supports NAMESPACES/, 'USERS'],
    ['DESCRIBE TABLE demo.notes HISTORY', 'NOT_SUPPORTED', /HISTORY is not supported/, 'HISTORY'],
    ["EXECUTE AS USER 'bob' (SELECT 1", 'SYNTAX', /closing EXECUTE AS/, '1'],
    ["EXECUTE AS USER 'bob' ()", 'SYNTAX', /needs one statement/, ')'],
    ["EXECUTE AS USER 'bob' (SELECT 1; SELECT 2)", 'SYNTAX', /exactly one statement/, ';'],
    ["EXECUTE AS USER 'bob' (BEGIN)", 'NOT_SUPPORTED', /cannot hold BEGIN/, 'BEGIN'],
  ])('refuses %j: %s', (sql, code, message, at) => {
    const r = refusal(sql);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
    expect(r.at).toBe(at);
  });

  it('an empty statement is refused as such', () => {
    expect(() => parseStatement({ tokens: [], end: 0 })).toThrow(/empty statement/);
  });

  it('names each kind as an outcome says it', () => {
    expect(verbOf(parse("EXECUTE AS USER 'bob' (SELECT 1)"))).toMatch(/^EXECUTE AS \(.+\)$/);
    expect(verbOf(parse('FLUSH ALL TABLES'))).not.toBe('');
  });
});
