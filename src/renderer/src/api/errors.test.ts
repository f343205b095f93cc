import { ORPCError } from '@orpc/client';
import { describe, expect, it } from 'vitest';
import { issuesByIndex } from './errors';

const validation = (issues: { field: string; message: string }[]) => new ORPCError('VALIDATION', { defined: true, message: 'Invalid input', data: { issues } });

describe('issuesByIndex', () => {
  it('reads the problems of an array in the input by item index, from the issue paths rows.page sends', () => {
    const error = validation([
      { field: 'request.filters.0.value', message: 'not a number' },
      { field: 'request.filters.2.column', message: 'unknown column "x"' },
      { field: 'request.sort.column', message: 'no index' },
      { field: 'filters.1.value', message: 'not under request' },
      { field: 'request.filters', message: 'too many' },
    ]);
    expect(issuesByIndex(error, ['request', 'filters'])).toEqual(
      new Map([
        [0, 'not a number'],
        [2, 'unknown column "x"'],
      ]),
    );
  });

  it('is empty for errors that are not VALIDATION', () => {
    expect(issuesByIndex(new ORPCError('NOT_FOUND', { message: 'gone' }), ['request', 'filters']).size).toBe(0);
    expect(issuesByIndex(new Error('offline'), ['request', 'filters']).size).toBe(0);
  });
});
