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

export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. "email" or "columns.0.name"; empty for the whole value. */
  readonly field: string;
  readonly message: string;
}

export class ValidationError extends EngineError {
  override name = 'ValidationError';
  constructor(
    readonly entity: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super('VALIDATION', `invalid ${entity}: ${issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; ')}`);
  }
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
