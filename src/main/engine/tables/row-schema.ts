import { z } from 'zod';
import type { ColumnType } from '../../../shared/browse';
import { fieldOfPath } from '../../../shared/field-path';
import { KeyError } from '../../../shared/keys/key-codec';
import { type RowId, rowId, type RowKeyValue } from '../../../shared/keys/row-id';
import { Double, fromHex, TupleError } from '../../../shared/keys/tuple';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { jsonValueProblem } from '../../../shared/json-value';
import { ruleCheck } from '../../../shared/rule-check';
import { compiledSchema } from '../codec/value-codec';
import { type FieldIssue, ValidationError } from '../errors';

/**
 * Rows of data tables: plain JSON objects {column → value} plus the system columns `_seq` (the
 * engine-wide sequence number of the write that stored the row; a version) and `_deleted` (a
 * tombstone). Stream rows also carry `_ts`, the write time their TTL counts from.
 *
 * Column types map to JSON as follows (values must survive JSON.stringify/parse unchanged):
 *   text → string; integer → number, a safe integer (|n| ≤ 2^53 - 1: a 64-bit column that only
 *   holds what a JSON number holds exactly); double → finite number; boolean; timestamp → integer
 *   ms since the epoch; json → any JSON value; bytes → base64 string.
 */
export interface DataRow {
  readonly [column: string]: unknown;
  readonly _seq: number;
  readonly _deleted: boolean;
  /** Stream rows only: when the row was written (ms), its TTL counts from here. */
  readonly _ts?: number;
}

export type RowValues = Record<string, unknown>;

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'an array' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : `a ${typeof v}`);

function typeError(expected: string) {
  return (issue: { input: unknown }): string =>
    issue.input === undefined ? 'is required' : issue.input === null ? 'must not be null' : `must be ${expected}, got ${kindOf(issue.input)}`;
}

const valueSchemas = new Map<ColumnType, z.ZodType>();

/** The schema of one non-null value of a column type (made once per type). */
export function valueSchema(type: ColumnType): z.ZodType {
  let s = valueSchemas.get(type);
  if (!s) {
    s = makeValueSchema(type);
    valueSchemas.set(type, s);
  }
  return s;
}

function makeValueSchema(type: ColumnType): z.ZodType {
  switch (type) {
    case 'text':
      return z.string({ error: typeError('text') });
    case 'integer':
      return z.int({ error: typeError('a safe integer (at most 2^53 - 1 in magnitude)') });
    case 'double':
      return z.number({ error: typeError('a finite number') });
    case 'boolean':
      return z.boolean({ error: typeError('true or false') });
    case 'timestamp':
      return z.int({ error: typeError('a timestamp (integer milliseconds since the epoch)') });
    case 'json':
      // Not z.json(): it recurses (a deep value overflows the stack) and silently drops "__proto__" keys.
      return z.unknown().check(ruleCheck((v) => (v === undefined ? 'is required' : v === null ? 'must not be null' : jsonValueProblem(v))));
    case 'bytes':
      return z.base64({ error: typeError('base64 text') });
  }
}

/** The schema of a column in a full row: nullable, and with its default when the write leaves it out. */
export function columnSchema(column: ColumnDefinition): z.ZodType {
  let s: z.ZodType = valueSchema(column.type);
  if (column.nullable) s = s.nullable();
  if (column.default !== undefined) {
    const value = column.default;
    // A fresh copy per row: a json default must not be shared between stored rows.
    s = s.default(typeof value === 'object' && value !== null ? () => structuredClone(value) : value);
  } else if (column.nullable) {
    s = s.default(null);
  }
  return s;
}

/** The first problem of a value for a column (null counts only when the column is nullable), or undefined. */
export function valueProblem(column: ColumnDefinition, value: unknown): string | undefined {
  if (value === null) return column.nullable ? undefined : 'must not be null';
  const result = valueSchema(column.type).safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** Turns zod issues into field issues: one per unknown column, "is required" for missing ones. */
function fieldIssues(error: z.ZodError): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({
          field: key,
          message: key.startsWith('_') ? 'is a system column, set by the engine' : 'unknown column',
        });
      }
    } else {
      issues.push({ field: fieldOfPath(issue.path), message: issue.path.length === 0 ? 'a row must be an object of column values' : issue.message });
    }
  }
  return issues;
}

/** A full row of these columns: a strict object (unknown and system columns refused), defaults applied, output in column order. */
export function rowSchema(columns: readonly ColumnDefinition[]): z.ZodType<RowValues> {
  return z.strictObject(Object.fromEntries(columns.map((c) => [c.name, columnSchema(c)])));
}

/**
 * The write-side schema of one table version (rowSchema), compiled once (compiledSchema): every
 * inserted or updated row is validated with it.
 */
export class RowValidator {
  private readonly full: z.ZodType<RowValues>;
  /**
   * A column named like a property every object inherits ("constructor": DDL refuses such names
   * now, but older tables may have one): zod reads each column as values[name], which would find
   * the inherited property where the write leaves the column out.
   */
  private readonly inherited: boolean;

  constructor(
    readonly entity: string,
    readonly columns: readonly ColumnDefinition[],
  ) {
    this.full = compiledSchema(rowSchema(columns));
    this.inherited = columns.some((c) => c.name in Object.prototype);
  }

  /** A complete row from the given values; throws a ValidationError naming each bad field. */
  validate(values: unknown): RowValues {
    const own = this.inherited && typeof values === 'object' && values !== null ? Object.assign(Object.create(null) as object, values) : values;
    const result = this.full.safeParse(own);
    if (!result.success) throw new ValidationError(this.entity, fieldIssues(result.error));
    return result.data;
  }
}

// ---------------------------------------------------------------------------------------------
// Primary keys: the row's primary-key value becomes a RowId (tuple encoding, order-preserving).

/** The tuple element a primary-key value is stored as; the value must already be valid for the type. */
export function keyElement(column: ColumnDefinition, value: unknown): RowKeyValue {
  switch (column.type) {
    case 'integer':
    case 'timestamp':
    case 'text':
    case 'boolean':
      return value as number | string | boolean;
    case 'double':
      return new Double(value as number);
    case 'bytes':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    case 'json':
      throw new Error('a json column cannot be a primary key');
  }
}

/** The RowId of a primary-key value, checked against the column type (field-named error otherwise). */
export function rowIdOf(entity: string, column: ColumnDefinition, value: unknown): RowId {
  const problem = value === null || value === undefined ? 'is required (primary key)' : valueProblem(column, value);
  if (problem !== undefined) throw new ValidationError(entity, [{ field: column.name, message: problem }]);
  return validRowIdOf(entity, column, value);
}

/** The RowId of a primary-key value that has been validated already (a validated row's key). */
export function validRowIdOf(entity: string, column: ColumnDefinition, value: unknown): RowId {
  try {
    return rowId(keyElement(column, value));
  } catch (e) {
    // e.g. a lone surrogate in a text key: not encodable as a key.
    if (e instanceof TupleError) throw new ValidationError(entity, [{ field: column.name, message: e.message }]);
    throw e;
  }
}

/**
 * Parses the text form of a primary-key value by the column's type: what RowIdKey.display shows
 * ("42", "1.5d", "0x0a0b", "\"42\"" for text that looks like a number), and also the plain forms a
 * person types ("1.5" for a double, base64 for bytes, unquoted text).
 */
export function parseKeyText(column: ColumnDefinition, text: string): RowKeyValue {
  const fail = (rule: string): never => {
    throw new KeyError('RowId', `${column.name}: ${rule}`);
  };
  switch (column.type) {
    case 'text': {
      if (text.startsWith('"')) {
        try {
          const parsed: unknown = JSON.parse(text);
          if (typeof parsed === 'string') return parsed;
        } catch {
          // not a quoted string: the text itself
        }
      }
      return text;
    }
    case 'integer':
    case 'timestamp': {
      const n = /^-?\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
      return Number.isSafeInteger(n) ? n : fail(`"${text}" is not a safe integer`);
    }
    case 'double': {
      const t = text.trim().replace(/d$/, '');
      const n = t === '' ? Number.NaN : Number(t);
      return Number.isFinite(n) ? new Double(n) : fail(`"${text}" is not a finite number`);
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : fail(`"${text}" is not true or false`);
    case 'bytes': {
      if (text.startsWith('0x')) {
        try {
          return fromHex(text.slice(2));
        } catch {
          return fail(`"${text}" is not hex`);
        }
      }
      return z.base64().safeParse(text).success ? new Uint8Array(Buffer.from(text, 'base64')) : fail(`"${text}" is neither 0x-hex nor base64`);
    }
    case 'json':
      return fail('a json column cannot be a primary key');
  }
}

export function parseRowIdText(column: ColumnDefinition, text: string): RowId {
  if (text.length === 0) throw new KeyError('RowId', 'must not be empty');
  try {
    return rowId(parseKeyText(column, text));
  } catch (e) {
    if (e instanceof TupleError) throw new KeyError('RowId', e.message);
    throw e;
  }
}
