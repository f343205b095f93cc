import { ORPCError } from '@orpc/server';
import { describe, expect, it } from 'vitest';
import { KeyError } from '../../shared/keys/key-codec';
import { AccessDeniedError } from '../engine/access/subject';
import { DecodeError, EngineError, NotFoundError, UniqueViolationError, ValidationError } from '../engine/errors';
import { fromWorkerError } from '../engine/jobs/worker-runner';
import { decodeCursor } from '../engine/store/cursor';
import { contractError, INTERNAL_MESSAGE, toContractError } from './errors';
import { expectError, openHarness } from './test-support';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

function logger() {
  const logged: { message: string; fields?: Record<string, unknown> | undefined }[] = [];
  return { logged, error: (message: string, fields?: Record<string, unknown>) => logged.push({ message, fields }) };
}

const map = (e: unknown) => {
  const l = logger();
  const out = toContractError(e, l, ['a', 'b']);
  return { code: out.code, status: out.status, message: out.message, data: out.data, defined: out.defined, logged: l.logged.length };
};

describe('toContractError', () => {
  it('maps each engine error code to its contract error', () => {
    expect(map(new ValidationError('user', [{ field: 'email', message: 'bad' }]))).toEqual({
      code: 'VALIDATION',
      status: 400,
      message: 'invalid user: email: bad',
      data: { issues: [{ field: 'email', message: 'bad' }] },
      defined: true,
      logged: 0,
    });
    expect(map(new UniqueViolationError('system.users.idx.username', 'username', 'alice'))).toMatchObject({
      code: 'UNIQUE_VIOLATION',
      status: 409,
      message: 'username "alice" is already taken',
      data: { field: 'username' },
    });
    expect(map(new NotFoundError('user x'))).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'user x does not exist' });
    expect(map(new EngineError('ALREADY_EXISTS', 'dup'))).toMatchObject({ code: 'ALREADY_EXISTS', status: 409 });
    expect(map(new EngineError('IN_USE', 'busy'))).toMatchObject({ code: 'IN_USE', status: 409, message: 'busy' });
    expect(map(new AccessDeniedError('user', 'read', 'system.users', 'dba'))).toMatchObject({ code: 'ACCESS_DENIED', status: 403 });
    expect(map(new DecodeError('p', 'k', 'bad json'))).toMatchObject({ code: 'DECODE', status: 500, message: 'cannot decode value at p / k: bad json' });
    expect(map(new EngineError('CONFLICT', 'newer schema'))).toMatchObject({ code: 'CONFLICT', data: { version: null } });
    expect(map(new EngineError('UNIQUE_VIOLATION', 'taken'))).toMatchObject({ code: 'UNIQUE_VIOLATION', data: { field: '' } });
  });

  it('takes the field of an engine validation error from its issues, never from its message', () => {
    expect(map(thrown(() => decodeCursor('system.users', 'forged')))).toMatchObject({
      code: 'VALIDATION',
      data: { issues: [{ field: 'cursor', message: 'is not a cursor this listing returned' }] },
    });
    expect(map(ValidationError.single('system.users', '', 'the key of x cannot change'))).toMatchObject({
      data: { issues: [{ field: '', message: 'the key of x cannot change' }] },
    });
    // A message that reads like "<field>: <problem>" is text, not a field.
    expect(map(ValidationError.single('flush', '', 'demo.x: a stream table'))).toMatchObject({
      message: 'demo.x: a stream table',
      data: { issues: [{ field: '', message: 'demo.x: a stream table' }] },
    });
  });

  it('a validation error from a job worker keeps its issues', () => {
    const original = new ValidationError('flush job', [{ field: 'table', message: 'must name a table' }]);
    const rebuilt = fromWorkerError({
      name: original.name,
      message: original.message,
      code: original.code,
      validation: { entity: 'flush job', issues: original.issues },
    });
    expect(map(rebuilt)).toEqual(map(original));
  });

  it('a full disk in a job worker is still a full disk here', () => {
    const rebuilt = fromWorkerError({ name: 'SqliteError', message: 'database or disk is full', storageFullCode: 'SQLITE_FULL' });
    expect(map(rebuilt)).toMatchObject({ code: 'STORAGE_FULL' });
  });

  it('turns oRPC input-validation failures into VALIDATION with dotted paths', () => {
    const bad = new ORPCError('BAD_REQUEST', {
      message: 'Input validation failed',
      data: {
        issues: [
          { message: 'Too small', path: ['request', 'filters', 0, 'value'] },
          { message: 'Required', path: [{ key: 'table' }] },
          { message: 'Expected object' },
        ],
      },
    });
    expect(map(bad)).toEqual({
      code: 'VALIDATION',
      status: 400,
      message: 'request.filters.0.value: Too small (and 2 more)',
      data: {
        issues: [
          { field: 'request.filters.0.value', message: 'Too small' },
          { field: 'table', message: 'Required' },
          { field: '', message: 'Expected object' },
        ],
      },
      defined: true,
      logged: 0,
    });
  });

  it('passes contract errors through, marked as defined', () => {
    const e = contractError('CONFLICT', 'changed', { version: 'abc' });
    expect(toContractError(e, logger())).toBe(e);
    expect(map(new ORPCError('IN_USE', { message: 'x' }))).toMatchObject({ code: 'IN_USE', status: 409, defined: true });
  });

  it('stored keys that do not decode are DECODE', () => {
    expect(map(new KeyError('UserId', 'stored key element 0 is not a string'))).toMatchObject({ code: 'DECODE', status: 500, logged: 0 });
  });

  it('anything else is a generic INTERNAL_SERVER_ERROR, its stack logged and never sent', () => {
    const l = logger();
    const boom = new TypeError('cannot read properties of undefined (secret detail)');
    const out = toContractError(boom, l, ['rows', 'page']);
    expect(out).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', status: 500, message: INTERNAL_MESSAGE, defined: false });
    expect(JSON.stringify(out.toJSON())).not.toContain('secret detail');
    expect(out.cause).toBeUndefined();
    expect(l.logged).toEqual([{ message: 'procedure failed unexpectedly', fields: { procedure: 'rows.page', error: boom } }]);
    expect(map(new ORPCError('INTERNAL_SERVER_ERROR', { message: 'Output validation failed' }))).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: INTERNAL_MESSAGE,
      logged: 1,
    });
  });

  it('end to end: a failing engine call reaches the client as INTERNAL_SERVER_ERROR, logged with its stack', async () => {
    const h = openHarness();
    try {
      h.engine.backend.stats = () => {
        throw new Error('disk on fire');
      };
      const e = await (h.client.indexes.list() as Promise<unknown>).then(
        () => undefined,
        (err: unknown) => err as ORPCError<string, unknown>,
      );
      expect(e).toBeInstanceOf(ORPCError);
      expect(e).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: INTERNAL_MESSAGE });
      expect(JSON.stringify(e?.toJSON())).not.toContain('disk on fire');
      expect(h.logged).toHaveLength(1);
      expect(h.logged[0]!.fields).toMatchObject({ procedure: 'indexes.list' });
      expect((h.logged[0]!.fields!.error as Error).stack).toContain('disk on fire');
      // typed errors are not logged as failures
      await expectError(h.client.tables.describe({ table: 'system.nope' }), 'NOT_FOUND');
      expect(h.logged).toHaveLength(1);
    } finally {
      h.close();
    }
  });
});
