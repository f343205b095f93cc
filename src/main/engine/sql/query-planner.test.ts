/**
 * The planner's rewrites, read as SQL text (the results they give are the differential test's:
 * storage/sqlite/sql-differential.test.ts): key literals bound as parameters, so that point queries
 * share one prepared statement, and the grouped form of one table's aggregates.
 */
import { describe, expect, it } from 'vitest';
import { splitScript } from '../../../shared/sql/sql-lexer';
import { type PlannerCatalog, planPointLookup, planQuery } from './query-planner';

const catalog: PlannerCatalog = {
  isNamespace: (n) => n === 'app',
  table: (namespace, table) => ({ label: `${namespace}.${table}`, kind: table === 'notes' ? 'user' : 'shared', primaryKey: 'id', version: 1 }),
};

function plan(sql: string) {
  const [statement] = splitScript(sql);
  return planQuery(statement!.tokens, catalog, sql);
}

describe('key literals become parameters', () => {
  it('queries that differ only in their keys share one statement', () => {
    const a = plan('SELECT * FROM app.big WHERE id = 5');
    const b = plan('SELECT * FROM app.big WHERE id = 6');
    expect(a.sql).toBe(b.sql);
    expect(a.sql).toBe('SELECT * FROM "app.big" WHERE id = @kalam_k0 AND "app.big"._pk_eq = @kalam_k0');
    expect([a.parameters, b.parameters]).toEqual([{ kalam_k0: 5n }, { kalam_k0: 6n }]);
    expect(a.pushdowns).toEqual([{ table: 'app.big', constraint: 'key eq 5' }]);
  });

  it('binds negative numbers, decimals, BETWEEN bounds and strings with their values', () => {
    const p = plan("SELECT id FROM app.big b WHERE b.id BETWEEN -3 AND 7.5 AND id >= 'it''s' AND x = 1");
    expect(p.sql).toBe(
      'SELECT id FROM "app.big" b WHERE b.id BETWEEN @kalam_k0 AND @kalam_k1 AND id >= @kalam_k2 AND x = 1 AND b._pk_ge = @kalam_k0 AND b._pk_le = @kalam_k1 AND b._pk_ge = @kalam_k2',
    );
    expect(p.parameters).toEqual({ kalam_k0: -3n, kalam_k1: 7.5, kalam_k2: "it's" });
  });

  it('keeps a literal a double cannot hold, and every literal of a statement with parameters of its own', () => {
    expect(plan('SELECT * FROM app.big WHERE id = 99999999999999999999').parameters).toEqual({});
    expect(plan('SELECT * FROM app.big WHERE id = 0x10').parameters).toEqual({});
    const own = plan('SELECT * FROM app.big WHERE id = 5 AND x = ?');
    expect(own.parameters).toEqual({});
    expect(own.sql).toContain('_pk_eq = 5');
  });
});

describe('grouped scans', () => {
  it('rewrites one table’s aggregates to columns of its groups, each call once', () => {
    const g = plan('SELECT k, count(*), sum(b.x) AS s FROM app.big b GROUP BY b.k HAVING count(*) > 2 ORDER BY sum(x) DESC LIMIT 3').grouped;
    expect(g).toMatchObject({
      groupBy: ['k'],
      aggregates: [
        { fn: 'count', column: null },
        { fn: 'sum', column: 'x' },
      ],
    });
    expect(g?.sql).toBe(
      'SELECT k, "__agg0", "__agg1" AS s FROM "app.big grouped by k|count(*),sum(x)" b GROUP BY b.k HAVING "__agg0" > 2 ORDER BY "__agg1" DESC LIMIT 3',
    );
    expect(plan('SELECT count(*), max(id) FROM app.notes').grouped?.sql).toBe('SELECT "__agg0", "__agg1" FROM "app.notes grouped by |count(*),max(id)"');
  });

  it('leaves every other shape to the plain plan', () => {
    for (const sql of [
      'SELECT k, count(*) FROM app.big WHERE id > 3 GROUP BY k',
      'SELECT a.k, count(*) FROM app.big a JOIN app.other o ON o.id = a.id GROUP BY a.k',
      'SELECT k, count(DISTINCT x) FROM app.big GROUP BY k',
      'SELECT k, sum(x * 2) FROM app.big GROUP BY k',
      'SELECT k, group_concat(label) FROM app.big GROUP BY k',
      'SELECT k, count(*) OVER () FROM app.big',
      'SELECT * FROM app.big GROUP BY k',
      'SELECT k + 1, count(*) FROM app.big GROUP BY k + 1',
      'SELECT k FROM app.big',
      'SELECT count(*) FROM app.big HAVING count(*) > 1',
      'SELECT k, count(*) FROM app.big GROUP BY k UNION SELECT 1, 2',
      'SELECT (SELECT count(*) FROM app.big)',
    ]) {
      expect(plan(sql).grouped, sql).toBeUndefined();
    }
  });
});

describe('point lookups', () => {
  it('recognise a primary-key equality with a literal, with its select list', () => {
    expect(plan('SELECT * FROM app.big WHERE id = 5').point).toMatchObject({ table: { label: 'app.big' }, key: 5n, items: [{ kind: 'all' }] });
    expect(plan('SELECT b.label AS "The label", k, b.* FROM app.big AS b WHERE \'x\' = b.id').point).toMatchObject({
      key: 'x',
      items: [{ kind: 'column', column: 'label', alias: 'The label' }, { kind: 'column', column: 'k', alias: undefined }, { kind: 'all' }],
    });
    expect(plan('SELECT _user, title FROM app.notes n WHERE n.id == -7').point).toMatchObject({ table: { kind: 'user' }, key: -7n });
    expect(plan('SELECT "app.big".id FROM app.big WHERE id = 1.5').point).toMatchObject({ key: 1.5 });
  });

  it('leave every other shape to the plan', () => {
    for (const sql of [
      'SELECT * FROM app.big WHERE id = 5 AND k = 1',
      'SELECT * FROM app.big WHERE id = 5 OR id = 6',
      'SELECT * FROM app.big WHERE id > 5',
      'SELECT * FROM app.big WHERE id BETWEEN 5 AND 5',
      'SELECT * FROM app.big WHERE k = 5',
      'SELECT * FROM app.big WHERE id = k',
      'SELECT * FROM app.big WHERE id = ?',
      'SELECT * FROM app.big WHERE id = 5 ORDER BY id',
      'SELECT * FROM app.big WHERE id = 5 LIMIT 1',
      'SELECT * FROM app.big WHERE (id = 5)',
      'SELECT upper(label) FROM app.big WHERE id = 5',
      'SELECT id + 1 FROM app.big WHERE id = 5',
      'SELECT id x FROM app.big WHERE id = 5',
      'SELECT DISTINCT id FROM app.big WHERE id = 5',
      'SELECT * FROM app.big b WHERE app.big.id = 5',
      'SELECT c.id FROM app.big b WHERE b.id = 5',
      'SELECT * FROM app.big a JOIN app.big b ON a.id = b.id WHERE a.id = 5',
      'SELECT * FROM app.big, app.other WHERE id = 5',
      'SELECT * FROM app.big WHERE id = 99999999999999999999',
      'SELECT (SELECT count(*) FROM app.big) FROM app.big WHERE id = 5',
      'SELECT * FROM app.big WHERE id IN (5)',
      'SELECT * FROM app.big WHERE NOT id = 5',
      'SELECT * FROM app.big WHERE id = 5 UNION SELECT * FROM app.big WHERE id = 6',
      'WITH x AS (SELECT 1) SELECT * FROM app.big WHERE id = 5',
    ]) {
      expect(plan(sql).point, sql).toBeUndefined();
    }
  });

  it('are planned alone as the whole plan finds them (what the executor answers in place)', () => {
    for (const sql of [
      'SELECT * FROM app.big WHERE id = 5',
      'SELECT k AS x FROM app.notes n WHERE 3 = n.id',
      'SELECT upper(k) FROM app.big WHERE id = 5',
      'SELECT 1',
    ]) {
      const [statement] = splitScript(sql);
      expect(planPointLookup(statement!.tokens, catalog), sql).toEqual(plan(sql).point);
    }
  });
});
