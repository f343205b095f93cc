import { ORPCError } from '@orpc/server';
import type { z } from 'zod';
import { type ContractErrorCode, contractErrors } from '../../shared/contract/errors';
import { fieldOfPath } from '../../shared/field-path';
import { KeyError } from '../../shared/keys/key-codec';
import { TupleError } from '../../shared/keys/tuple';
import { EngineError, type FieldIssue, UniqueViolationError, ValidationError } from '../engine/errors';
import { isStorageFull } from '../engine/storage/storage-full';
import type { Logger } from '../../shared/logger';

type ErrorData<C extends ContractErrorCode> = (typeof contractErrors)[C] extends { data: z.ZodType<infer D> } ? D : undefined;

/** A typed contract error, marked as defined so clients can rely on its code and data. */
export function contractError<C extends ContractErrorCode>(
  code: C,
  message: string,
  ...data: ErrorData<C> extends undefined ? [] : [ErrorData<C>]
): ORPCError<C, ErrorData<C>> {
  return new ORPCError(code, { defined: true, status: contractErrors[code].status, message, data: data[0] as ErrorData<C> });
}

/** A VALIDATION error for the given field issues (at least one). */
export function validationError(issues: readonly FieldIssue[], message?: string): ORPCError<'VALIDATION', ErrorData<'VALIDATION'>> {
  const list = issues.length > 0 ? issues.map((i) => ({ field: i.field, message: i.message })) : [{ field: '', message: 'is invalid' }];
  return contractError('VALIDATION', message ?? describeIssues(list), { issues: list });
}

function describeIssues(issues: readonly FieldIssue[]): string {
  const [first] = issues;
  const text = first ? (first.field ? `${first.field}: ${first.message}` : first.message) : 'Invalid input';
  return issues.length > 1 ? `${text} (and ${issues.length - 1} more)` : text;
}

/** A Standard Schema path (its segments are keys or `{ key }`) as an issue's field. */
function fieldOfStandardPath(path: readonly unknown[] | undefined): string {
  return fieldOfPath((path ?? []).map((p) => (typeof p === 'object' && p !== null && 'key' in p ? (p.key as PropertyKey) : (p as PropertyKey))));
}

/**
 * Runs a key parse (or any input-derived encoding) and reports its KeyError or TupleError on
 * `field`. A ValidationError passes through: its issues name their own fields.
 */
export function asInput<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KeyError || e instanceof TupleError) throw validationError([{ field, message: e instanceof KeyError ? e.rule : e.message }]);
    throw e;
  }
}

/** Issues of an oRPC input-validation failure (BAD_REQUEST carrying Standard Schema issues). */
function inputIssues(error: ORPCError<string, unknown>): FieldIssue[] | undefined {
  const data = error.data as { issues?: unknown } | undefined;
  if (error.code !== 'BAD_REQUEST' || !Array.isArray(data?.issues)) return undefined;
  return (data.issues as { message?: unknown; path?: readonly unknown[] }[]).map((i) => ({
    field: fieldOfStandardPath(i.path),
    message: typeof i.message === 'string' ? i.message : 'is invalid',
  }));
}

function fromEngineError(e: EngineError): ORPCError<ContractErrorCode, unknown> {
  if (e instanceof UniqueViolationError) return contractError('UNIQUE_VIOLATION', `${e.field} "${e.value}" is already taken`, { field: e.field });
  switch (e.code) {
    case 'VALIDATION':
      // Only a ValidationError has this code: its issues are data, never read out of its message.
      return validationError(e instanceof ValidationError ? e.issues : [], e.message);
    case 'UNIQUE_VIOLATION':
      return contractError('UNIQUE_VIOLATION', e.message, { field: '' });
    case 'CONFLICT':
      return contractError('CONFLICT', e.message, { version: null });
    case 'NOT_FOUND':
    case 'ALREADY_EXISTS':
    case 'IN_USE':
    case 'ACCESS_DENIED':
    case 'DECODE':
    case 'READ_ONLY':
      return contractError(e.code, e.message);
  }
}

export const INTERNAL_MESSAGE = 'Something went wrong in the engine; the details are in the log.';

export const STORAGE_FULL_MESSAGE =
  'The disk that holds the data is full (or the database reached its size limit), so the change was not saved. Free some space and try again.';

/**
 * Turns anything a procedure threw into an error the contract defines. A full disk (SQLite's
 * SQLITE_FULL, the file system's ENOSPC) is STORAGE_FULL. Unexpected errors are logged with their
 * stack and reach the client only as a generic INTERNAL_SERVER_ERROR.
 */
export function toContractError(error: unknown, logger: Pick<Logger, 'error'>, path: readonly string[] = []): ORPCError<string, unknown> {
  if (error instanceof ORPCError) {
    const e = error as ORPCError<string, unknown>;
    if (Object.hasOwn(contractErrors, e.code)) {
      return e.defined
        ? e
        : new ORPCError(e.code, { defined: true, status: contractErrors[e.code as ContractErrorCode].status, message: e.message, data: e.data });
    }
    const issues = inputIssues(e);
    if (issues) return validationError(issues);
  }
  if (isStorageFull(error)) {
    logger.error('no room left to write', { procedure: path.join('.'), message: error instanceof Error ? error.message : String(error) });
    return contractError('STORAGE_FULL', STORAGE_FULL_MESSAGE);
  }
  if (error instanceof EngineError) return fromEngineError(error);
  // Input keys are parsed through asInput; a key or tuple failing here was read from storage.
  if (error instanceof KeyError || error instanceof TupleError) return contractError('DECODE', `Stored data cannot be read: ${error.message}`);
  logger.error('procedure failed unexpectedly', { procedure: path.join('.'), error });
  return new ORPCError('INTERNAL_SERVER_ERROR', { message: INTERNAL_MESSAGE });
}
