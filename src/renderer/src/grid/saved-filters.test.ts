import { describe, expect, it } from 'vitest';
import { withSaved } from './saved-filters';

describe('saved filters', () => {
  it('saves by name, replacing a set of the same name, sorted by name', () => {
    const dba = [{ column: 'role', op: 'eq' as const, value: 'dba' }];
    const users = [{ column: 'role', op: 'eq' as const, value: 'user' }];
    let list = withSaved([], 'users', users);
    list = withSaved(list, 'DBAs', dba);
    expect(list.map((s) => s.name)).toEqual(['DBAs', 'users']);
    list = withSaved(list, 'users', dba);
    expect(list).toEqual([
      { name: 'DBAs', filters: dba },
      { name: 'users', filters: dba },
    ]);
  });
});
