import { describe, expect, it } from 'vitest';
import { dataDirName } from '../../../shared/data-dir-name';
import { describeSwitch } from './switch-report';

describe('the switch report shown after the reload', () => {
  it('says what was opened, and how each job of the old directory ended', () => {
    const base = { path: '/data/other', name: 'other', closed: '/data/first' };
    expect(describeSwitch({ ...base, created: false, jobs: [] })).toBe('Opened other (/data/other).');
    expect(
      describeSwitch({
        ...base,
        created: true,
        jobs: [
          { id: 'FL-1', type: 'flush', status: 'completed', message: null },
          { id: 'IX-2', type: 'index_rebuild', status: 'cancelled', message: 'cancelled' },
        ],
      }),
    ).toBe('Created and opened other (/data/other). Jobs of /data/first: FL-1 (flush) finished, IX-2 (index rebuild) cancelled.');
  });

  it('names a directory by its last path segment', () => {
    expect(dataDirName('/home/me/data')).toBe('data');
    expect(dataDirName('/home/me/data/')).toBe('data');
    expect(dataDirName('C:\\Users\\me\\kalam')).toBe('kalam');
    expect(dataDirName('/')).toBe('/');
  });
});
