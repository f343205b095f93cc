import { describe, expect, it } from 'vitest';
import { rowConflicts } from './row-conflicts';
import type { StagedChange } from './staged-changes';

const change = (rowKey: string, baseVersion: string): StagedChange => ({
  id: rowKey,
  table: 't',
  rowKey,
  column: 'a',
  value: 1,
  original: 0,
  baseVersion,
  as: undefined,
});

describe('rowConflicts', () => {
  it('flags staged rows whose loaded version moved on, and only those', () => {
    const rows = [
      { key: '1', values: { _seq: 5, a: 0 }, version: '5' },
      { key: '2', values: { _seq: 9, a: 7 }, version: '9' },
      { key: '3', values: { _seq: 1, a: 0 }, version: '1' },
    ];
    const out = rowConflicts([change('1', '5'), change('2', '6')], rows);
    expect([...out.keys()]).toEqual(['2']);
    expect(out.get('2')).toMatchObject({ version: '9', values: { a: 7 } });
  });
});
