import { ORPCError } from '@orpc/client';
import { describe, expect, it } from 'vitest';
import { applyStaged, type CreateRow, type UpdateRow } from './apply-staged';
import { EMPTY_STAGED, changesOf, newRowKey, stage } from './staged-changes';

const T = 'app.notes';

describe('applyStaged', () => {
  it('sends one update per row with its base version and subject; reports conflicts and errors per row', async () => {
    let s = stage(EMPTY_STAGED, { table: T, rowKey: '1', column: 'title', value: 'a', original: 'x', baseVersion: '5', as: undefined });
    s = stage(s, { table: T, rowKey: '1', column: 'done', value: true, original: false, baseVersion: '5', as: undefined });
    s = stage(s, { table: T, rowKey: '2', column: 'title', value: 'b', original: 'y', baseVersion: '7', as: { userId: null, role: 'dba' } });
    s = stage(s, { table: T, rowKey: '3', column: 'title', value: 'c', original: 'z', baseVersion: '9', as: undefined });
    const calls: unknown[] = [];
    const update: UpdateRow = (input) => {
      calls.push(input);
      if (input.key === '2') return Promise.reject(new ORPCError('CONFLICT', { message: 'Changed', data: { version: '8' }, defined: true }));
      if (input.key === '3')
        return Promise.reject(
          new ORPCError('VALIDATION', { message: 'Invalid input', data: { issues: [{ field: 'title', message: 'too long' }] }, defined: true }),
        );
      return Promise.resolve({ row: { key: input.key, values: {}, version: '10' }, version: '10' });
    };
    const result = await applyStaged(T, changesOf(s, T), update);
    expect(calls).toEqual([
      { table: T, key: '1', values: { title: 'a', done: true }, version: '5' },
      { table: T, key: '2', values: { title: 'b' }, version: '7', as: { userId: null, role: 'dba' } },
      { table: T, key: '3', values: { title: 'c' }, version: '9' },
    ]);
    expect(result.saved).toEqual(['1']);
    expect(result.problems.get('2')).toEqual({ kind: 'conflict', message: 'The row changed after you staged this edit (now version 8).' });
    expect(result.problems.get('3')).toEqual({ kind: 'error', message: 'title: too long' });
  });

  it('creates staged new rows (the pasted _user as their owner) and returns what each saved row holds', async () => {
    const base = { table: T, original: null, baseVersion: '', as: undefined, newRow: true as const };
    let s = stage(EMPTY_STAGED, { ...base, rowKey: newRowKey(1), column: 'id', value: 4 });
    s = stage(s, { ...base, rowKey: newRowKey(1), column: 'title', value: 'd' });
    s = stage(s, { ...base, rowKey: newRowKey(1), column: '_user', value: 'u_bob' });
    s = stage(s, { ...base, rowKey: newRowKey(2), column: 'id', value: 1 });
    const calls: unknown[] = [];
    const create: CreateRow = (input) => {
      calls.push(input);
      if (input.values['id'] === 1) return Promise.reject(new ORPCError('ALREADY_EXISTS', { message: 'a row with key 1 already exists', defined: true }));
      return Promise.resolve({ row: { key: '4', values: input.values, version: '3' }, version: '3' });
    };
    const update: UpdateRow = () => Promise.reject(new Error('no update expected'));
    const result = await applyStaged(T, changesOf(s, T), update, create);
    expect(calls).toEqual([
      { table: T, values: { id: 4, title: 'd' }, user: 'u_bob' },
      { table: T, values: { id: 1 } },
    ]);
    expect(result.saved).toEqual([newRowKey(1)]);
    expect(result.written.get(newRowKey(1))?.version).toBe('3');
    expect(result.problems.get(newRowKey(2))).toEqual({ kind: 'error', message: 'a row with key 1 already exists' });
  });
});
