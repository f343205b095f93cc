import { describe, expect, it } from 'vitest';
import type { TableListEntry } from '../../../shared/contract';
import { jobFixture } from '../../../shared/system/jobs.test-support';
import { paletteIndex, paletteItems, paletteSearch } from './palette-items';

const table = (name: string, kind: TableListEntry['kind'] = 'shared'): TableListEntry =>
  ({ table: name, name: name.split('.')[1]!, namespace: name.split('.')[0]!, kind, canRead: true }) as TableListEntry;

describe('command palette items', () => {
  const tables = [table('demo.products'), table('demo.notes', 'user'), table('system.users', 'system'), table('sales.orders')];
  const items = paletteItems({ tables, jobs: [], canWriteJobs: true, canManageJobs: true });
  const search = paletteSearch(items);

  it('offers pages, readable tables, namespaces, flushes of shared and user tables, and commands', () => {
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['Overview', 'Jobs', 'demo.products', 'system.users', 'Namespace demo', 'Flush demo.notes', 'Back up…']));
    expect(labels).not.toContain('Flush system.users');
  });

  it('matches fuzzily, best first', () => {
    expect(search('prodcts')[0]?.label).toBe('demo.products');
    expect(search('flush orders')[0]?.label).toBe('Flush sales.orders');
    expect(search('')).toHaveLength(Math.min(items.length, 50));
  });

  it('matches words in any order and in any field, a label match first', () => {
    expect(search('orders flush')[0]?.label).toBe('Flush sales.orders');
    // 'user table' is demo.notes' hint; 'parquet' a flush command's keyword.
    expect(search('notes user')[0]?.label).toBe('demo.notes');
    expect(search('parquet products')[0]?.label).toBe('Flush demo.products');
    expect(search('sales.orders').map((i) => i.label)).toEqual(['sales.orders', 'Flush sales.orders']);
    expect(search('zzz')).toEqual([]);
  });

  it("keeps the items' order between equal matches: the command before a recent job of the same label", () => {
    const job = (n: number) => jobFixture({ job_id: `FL-${n}`, job_type: 'flush', parameters: { table: 'demo.products' }, status: 'completed' });
    const withJobs = paletteItems({ tables, jobs: Array.from({ length: 20 }, (_, i) => job(i)), canWriteJobs: true, canManageJobs: true });
    const labelled = withJobs.filter((i) => i.label === 'Flush demo.products');
    expect(labelled.map((i) => i.group)).toEqual(['Command', ...Array<string>(20).fill('Job')]);
    const found = paletteSearch(withJobs)('flush demo.products');
    expect(found[0]).toMatchObject({ group: 'Command', label: 'Flush demo.products' });
    expect(found.filter((i) => i.label === 'Flush demo.products').map((i) => i.id)).toEqual(labelled.map((i) => i.id));
  });

  it('leaves out what the subject may not do', () => {
    const plain = paletteItems({ tables, jobs: [], canWriteJobs: false, canManageJobs: false }).map((i) => i.label);
    expect(plain.some((l) => l.startsWith('Flush'))).toBe(false);
    expect(plain).not.toContain('Back up…');
  });

  it('searches 1,000 tables', () => {
    const many = Array.from({ length: 1000 }, (_, i) => table(`ns${i % 20}.table_${i}`));
    const find = paletteSearch(paletteItems({ tables: many, jobs: [], canWriteJobs: true, canManageJobs: true }));
    expect(find('table_777')[0]?.label).toBe('ns17.table_777');
  });

  it('offers the start page and the recent data directories that can be opened, as commands', () => {
    const dir = (path: string, current = false, available = true) => ({ path, name: path.split('/').at(-1)!, openedAt: 1, current, available });
    const withDirs = paletteItems({
      tables,
      jobs: [],
      canWriteJobs: true,
      canManageJobs: true,
      dataDirs: { current: dir('/d/open', true), recent: [dir('/d/open', true), dir('/d/other'), dir('/d/gone', false, false)], canSwitch: true },
    });
    const recent = withDirs.filter((i) => i.label.startsWith('Open recent: '));
    expect(recent.map((i) => [i.label, i.hint, i.action])).toEqual([
      ['Open recent: other', '/d/other', { kind: 'run', command: { type: 'openDataDir', path: '/d/other' } }],
    ]);
    expect(paletteSearch(withDirs)('open recent other')[0]?.label).toBe('Open recent: other');
    expect(withDirs.find((i) => i.label === 'Open data directory…')?.action).toEqual({ kind: 'go', href: '#/start' });
    expect(items.some((i) => i.label.startsWith('Open recent'))).toBe(false);
  });

  it('indexes the items once per change of a source: the same lists give the same index, a new table list a new one', () => {
    const sources = { tables, jobs: [], canWriteJobs: true, canManageJobs: true };
    const first = paletteIndex(sources);
    expect(paletteIndex({ ...sources })).toBe(first);
    const more = [...tables, table('sales.refunds')];
    const next = paletteIndex({ ...sources, tables: more });
    expect(next).not.toBe(first);
    expect(next.search('refunds')[0]?.label).toBe('sales.refunds');
    expect(paletteIndex({ ...sources, tables: more, canWriteJobs: false }).items.some((i) => i.label.startsWith('Flush'))).toBe(false);
  });
});
