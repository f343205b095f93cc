import { ORPCError } from '@orpc/client';
import { describe, expect, it } from 'vitest';
import { applyStaged, type UpdateRow } from './apply-staged';
import { EMPTY_STAGED, changesOf, stage } from './staged-changes';

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
});
