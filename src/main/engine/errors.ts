import type { z } from 'zod';
import { fieldOfPath } from '../../shared/field-path';

/**
 * Errors the engine raises on purpose. Each has a stable code, so the services can turn it into a
 * typed contract error without parsing messages.
 */
export type EngineErrorCode =
  | 'VALIDATION'
  | 'UNIQUE_VIOLATION'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'IN_USE'
  | 'DECODE'
  | 'ACCESS_DENIED'
  | 'CONFLICT'
  /** A write refused because the process is in read-only mode. */
  | 'READ_ONLY';

/** Lets only ValidationError (below) make a VALIDATION error: it carries its issues as data. */
const VALIDATION: unique symbol = Symbol('VALIDATION');

export class EngineError extends Error {
  override name = 'EngineError';
  readonly code: EngineErrorCode;
  /** Any code but VALIDATION: bad input is a ValidationError, whose fields are data, not text. */
  constructor(code: Exclude<EngineErrorCode, 'VALIDATION'> | typeof VALIDATION, message: string) {
    super(message);
    this.code = code === VALIDATION ? 'VALIDATION' : code;
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. "email" or "columns.0.name"; empty for the whole value. */
  readonly field: string;
  readonly message: string;
}

export class ValidationError extends EngineError {
  override name = 'ValidationError';
  /** `message` defaults to "invalid <entity>: <field>: <problem>; …". */
  constructor(
    readonly entity: string,
    readonly issues: readonly FieldIssue[],
    message = `invalid ${entity}: ${issues.map(describeIssue).join('; ')}`,
  ) {
    super(VALIDATION, message);
  }

  /** One issue, and a message that is just that issue: "limit: must be …", or the problem alone for the whole value (field ""). */
  static single(entity: string, field: string, problem: string): ValidationError {
    const issue = { field, message: problem };
    return new ValidationError(entity, [issue], describeIssue(issue));
  }
}

/** The issues of a zod error, each on its path (under `prefix`, when what was parsed is part of a larger input). */
export function issuesOf(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldIssue[] {
  return error.issues.map((i) => ({ field: fieldOfPath([...prefix, ...i.path]), message: i.message }));
}

function describeIssue(issue: FieldIssue): string {
  return issue.field ? `${issue.field}: ${issue.message}` : issue.message;
}

export class UniqueViolationError extends EngineError {
  override name = 'UniqueViolationError';
  constructor(
    readonly index: string,
    readonly field: string,
    readonly value: string,
  ) {
    super('UNIQUE_VIOLATION', `${field} "${value}" is already taken (unique index ${index})`);
  }
}

export class DecodeError extends EngineError {
  override name = 'DecodeError';
  constructor(
    readonly partition: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super('DECODE', `cannot decode value at ${partition} / ${key}: ${reason}`);
  }
}

export class NotFoundError extends EngineError {
  override name = 'NotFoundError';
  constructor(what: string) {
    super('NOT_FOUND', `${what} does not exist`);
  }
}
