import { describe, expect, it } from 'vitest';
import type { SubjectRights } from '../../../shared/contract';
import { checkRun, classifyStatement } from './sql-safety';

describe('classifyStatement', () => {
  it.each([
    ['SELECT * FROM demo.products', 'read', undefined],
    ['  with x as (select 1) select * from x', 'read', undefined],
    ['SHOW TABLES IN demo', 'read', undefined],
    ['DESCRIBE TABLE demo.notes', 'read', undefined],
    ['EXPLAIN SELECT 1', 'read', undefined],
    ['SUBSCRIBE TO SELECT * FROM demo.notes', 'read', undefined],
    ["BACKUP DATABASE TO '/tmp/b'", 'read', 'manageJobs'],
    ['INSERT INTO demo.products (id) VALUES (1)', 'write', undefined],
    ['CREATE NAMESPACE shop', 'write', 'changeSchema'],
    ['ALTER TABLE demo.products ADD COLUMN x TEXT', 'write', 'changeSchema'],
    ['FLUSH TABLE demo.products', 'write', 'manageJobs'],
    ['COMPACT TABLE demo.products', 'write', 'manageJobs'],
    ['STORAGE FLUSH TABLE demo.products', 'write', 'manageJobs'],
    ['BEGIN', 'control', undefined],
    ['FROBNICATE everything', 'unknown', undefined],
  ] as const)('%s is %s', (sql, effect, right) => {
    const s = classifyStatement(sql);
    expect(s.effect).toBe(effect);
    expect(s.right).toBe(right);
    expect(s.confirm).toBeUndefined();
  });

  it('asks before UPDATE and DELETE without WHERE, not with one', () => {
    expect(classifyStatement('DELETE FROM demo.notes').confirm).toMatch(/DELETE without WHERE/);
    expect(classifyStatement('update demo.notes set x = 1').confirm).toMatch(/UPDATE without WHERE/);
    expect(classifyStatement('DELETE FROM demo.notes WHERE id = 1').confirm).toBeUndefined();
    expect(classifyStatement('UPDATE demo.notes SET x = 1 WHERE id = 1').confirm).toBeUndefined();
  });

  it('reads a statement that does not lex up to the fault', () => {
    expect(classifyStatement("DELETE FROM demo.notes WHERE body = 'open")).toMatchObject({ effect: 'write' });
    expect(classifyStatement("DELETE FROM demo.notes WHERE body = 'open").confirm).toBeUndefined();
  });

  it('is not fooled by WHERE in a string, a comment, a quoted name or a subquery', () => {
    expect(classifyStatement('DELETE FROM demo.notes -- WHERE id = 1\n').confirm).toBeDefined();
    expect(classifyStatement("UPDATE demo.notes SET body = 'where'").confirm).toBeDefined();
    expect(classifyStatement('UPDATE demo.notes SET "where" = 1').confirm).toBeDefined();
    expect(classifyStatement('UPDATE demo.notes SET x = (SELECT max(y) FROM t WHERE y > 0)').confirm).toBeDefined();
  });

  it('asks before DROP and RESTORE', () => {
    expect(classifyStatement('DROP TABLE demo.notes').confirm).toMatch(/DROP/);
    expect(classifyStatement('drop namespace demo cascade').right).toBe('changeSchema');
    expect(classifyStatement("RESTORE DATABASE FROM '/tmp/b'").confirm).toMatch(/RESTORE/);
  });

  it('classifies the statement inside EXECUTE AS and names the user', () => {
    const s = classifyStatement("EXECUTE AS USER 'alice' (DELETE FROM demo.notes)");
    expect(s).toMatchObject({ keyword: 'DELETE', effect: 'write', executeAs: 'alice' });
    expect(s.confirm).toBeDefined();
    expect(classifyStatement("EXECUTE AS USER 'alice' (DELETE FROM demo.notes WHERE id = 'n1')").confirm).toBeUndefined();
    expect(classifyStatement("EXECUTE AS USER 'bob' (SELECT * FROM demo.notes)")).toMatchObject({ effect: 'read', executeAs: 'bob' });
    expect(classifyStatement('execute as user bob (update demo.notes set x = 1;)')).toMatchObject({ keyword: 'UPDATE', executeAs: 'bob' });
    expect(classifyStatement("EXECUTE AS USER 'o''neil' (SELECT 1)").executeAs).toBe("o'neil");
  });

  it('treats a data-modifying WITH as the write it ends in', () => {
    expect(classifyStatement('WITH gone AS (SELECT id FROM t) DELETE FROM demo.notes').confirm).toBeDefined();
    expect(classifyStatement('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x').effect).toBe('write');
  });
});

describe('checkRun', () => {
  const noRights: SubjectRights = { readJobs: null, manageJobs: null, changeSchema: null, readStatistics: null, setReadOnly: null };
  const gate =
    (readOnly: boolean, rights: SubjectRights = noRights) =>
    (need: { write?: boolean; right?: keyof SubjectRights }): string | undefined => {
      const denied = need.right ? rights[need.right] : null;
      if (denied !== null) return denied;
      return need.write && readOnly ? 'Read-only mode is on' : undefined;
    };

  it('refuses a script with a write in read-only mode, naming the statement', () => {
    const check = checkRun(['SELECT 1', "INSERT INTO demo.notes (id) VALUES ('x')"], gate(true));
    expect(check.refused).toEqual({ statement: "INSERT INTO demo.notes (id) VALUES ('x')", reason: 'Read-only mode is on' });
  });

  it('lets reads and a backup run in read-only mode', () => {
    expect(checkRun(['SELECT 1', 'SHOW NAMESPACES', "BACKUP DATABASE TO '/tmp/b'"], gate(true)).refused).toBeUndefined();
  });

  it('refuses what the subject has no right to, even when not read-only', () => {
    const check = checkRun(['CREATE NAMESPACE x'], gate(false, { ...noRights, changeSchema: 'only a dba may change the schema' }));
    expect(check.refused?.reason).toBe('only a dba may change the schema');
  });

  it('leaves the rights of an EXECUTE AS statement to the engine, but not read-only mode', () => {
    const rights = { ...noRights, changeSchema: 'no' };
    expect(checkRun(["EXECUTE AS USER 'a' (DROP TABLE demo.t)"], gate(false, rights)).refused).toBeUndefined();
    expect(checkRun(["EXECUTE AS USER 'a' (INSERT INTO demo.t VALUES (1))"], gate(true)).refused).toBeDefined();
  });

  it('lists every statement that asks for confirmation', () => {
    const check = checkRun(['DELETE FROM a', 'SELECT 1', 'DROP TABLE demo.b'], gate(false));
    expect(check.refused).toBeUndefined();
    expect(check.confirm.map((c) => c.statement)).toEqual(['DELETE FROM a', 'DROP TABLE demo.b']);
  });
});
