import { describe, expect, it } from 'vitest';
import type { ColumnInfo } from '../../../shared/browse';
import { compileDrafts, describeFilter, describeFilters, opsFor, parseFilterValue, toDrafts } from './filters';

const col = (name: string, type: ColumnInfo['type'], nullable = false): ColumnInfo => ({ name, type, nullable, primaryKey: false });

describe('filters', () => {
  it('offers operators by type, null tests only on nullable columns', () => {
    expect(opsFor(col('n', 'integer'))).not.toContain('contains');
    expect(opsFor(col('n', 'integer'))).not.toContain('is_null');
    expect(opsFor(col('n', 'integer', true))).toContain('is_null');
    expect(opsFor(col('b', 'boolean'))).toEqual(['eq', 'ne']);
    expect(opsFor(col('t', 'text'))).toContain('starts_with');
  });

  it('parses values by column type', () => {
    expect(parseFilterValue(col('n', 'integer'), 'gt', ' 42 ')).toEqual({ ok: true, value: 42 });
    expect(parseFilterValue(col('n', 'integer'), 'gt', '4.5')).toMatchObject({ ok: false });
    expect(parseFilterValue(col('n', 'double'), 'gt', '4.5')).toEqual({ ok: true, value: 4.5 });
    expect(parseFilterValue(col('n', 'double'), 'gt', '')).toMatchObject({ ok: false });
    expect(parseFilterValue(col('b', 'boolean'), 'eq', 'true')).toEqual({ ok: true, value: true });
    expect(parseFilterValue(col('t', 'text'), 'eq', ' a ')).toEqual({ ok: true, value: ' a ' });
    expect(parseFilterValue(col('t', 'text', true), 'is_null', 'ignored')).toEqual({ ok: true, value: undefined });
  });

  it('reads timestamps from date-time inputs and from milliseconds', () => {
    const local = parseFilterValue(col('at', 'timestamp'), 'gte', '2026-01-31T10:00');
    expect(local).toEqual({ ok: true, value: new Date(2026, 0, 31, 10, 0).getTime() });
    expect(parseFilterValue(col('at', 'timestamp'), 'gte', '1700000000000')).toEqual({ ok: true, value: 1_700_000_000_000 });
    expect(parseFilterValue(col('at', 'timestamp'), 'gte', 'yesterday')).toMatchObject({ ok: false });
  });

  it('compiles drafts or reports each bad one', () => {
    const columns = [col('role', 'text'), col('attempts', 'integer'), col('deleted_at', 'timestamp', true)];
    expect(
      compileDrafts(columns, [
        { id: 1, column: 'role', op: 'eq', value: 'dba' },
        { id: 2, column: 'deleted_at', op: 'is_null', value: '' },
      ]),
    ).toEqual({
      ok: true,
      filters: [
        { column: 'role', op: 'eq', value: 'dba' },
        { column: 'deleted_at', op: 'is_null' },
      ],
    });
    const bad = compileDrafts(columns, [
      { id: 1, column: 'attempts', op: 'gt', value: 'many' },
      { id: 2, column: 'gone', op: 'eq', value: 'x' },
    ]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect([...bad.errors.keys()]).toEqual([1, 2]);
  });

  it('compiles OR groups, IN lists and ranges; the first filter starts no group', () => {
    const columns = [col('role', 'text'), col('attempts', 'integer'), col('at', 'timestamp')];
    expect(
      compileDrafts(columns, [
        { id: 1, column: 'role', op: 'in', value: ' dba, service ,, ', or: true },
        { id: 2, column: 'attempts', op: 'between', value: '1', to: '3' },
        { id: 3, column: 'role', op: 'ieq', value: 'ALICE', or: true },
      ]),
    ).toEqual({
      ok: true,
      filters: [
        { column: 'role', op: 'in', values: ['dba', 'service'] },
        { column: 'attempts', op: 'between', value: 1, to: 3 },
        { column: 'role', op: 'ieq', value: 'ALICE', or: true },
      ],
    });
    const bad = compileDrafts(columns, [
      { id: 1, column: 'attempts', op: 'in', value: '1, two' },
      { id: 2, column: 'attempts', op: 'between', value: '1', to: '' },
      { id: 3, column: 'role', op: 'in', value: ' , ' },
    ]);
    expect(bad).toEqual({
      ok: false,
      errors: new Map([
        [1, 'Enter a number (“two”)'],
        [2, 'To: enter a number'],
        [3, 'Enter one or more values, separated by commas'],
      ]),
    });
    expect(opsFor(col('t', 'text'))).toEqual(expect.arrayContaining(['ieq', 'in', 'between']));
    expect(opsFor(col('at', 'timestamp'))).toContain('between');
  });

  it('edits applied filters again as they were', () => {
    const columns = [col('role', 'text'), col('attempts', 'integer')];
    const filters = [
      { column: 'role', op: 'in' as const, values: ['dba', 'service'] },
      { column: 'attempts', op: 'between' as const, value: 1, to: 3, or: true },
    ];
    expect(compileDrafts(columns, toDrafts(filters, 1))).toEqual({ ok: true, filters });
  });

  it('describes filters for chips', () => {
    expect(describeFilter({ column: 'role', op: 'in', values: ['dba', 'service'] })).toBe('role is one of dba, service');
    expect(describeFilter({ column: 'n', op: 'between', value: 1, to: 3 })).toBe('n between 1 and 3');
    expect(
      describeFilters([
        { column: 'a', op: 'eq', value: 1 },
        { column: 'b', op: 'is_null' },
        { column: 'c', op: 'eq', value: 2, or: true },
      ]),
    ).toBe('a = 1 and b is null or c = 2');
    expect(describeFilter({ column: 'role', op: 'eq', value: 'dba' })).toBe('role = dba');
    expect(describeFilter({ column: 'deleted_at', op: 'not_null' })).toBe('deleted_at is not null');
    const at = new Date(2026, 0, 31, 10, 0, 0).getTime();
    expect(describeFilter({ column: 'at', op: 'gte', value: at }, [col('at', 'timestamp')])).toBe('at ≥ 2026-01-31 10:00:00');
  });
});
