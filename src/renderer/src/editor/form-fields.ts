import { z } from 'zod';
import { columnMeta, type ReferencedTable } from '../../../shared/column-meta';

/** The input a form field gets. */
export type FieldControl = 'text' | 'email' | 'password' | 'textarea' | 'select' | 'checkbox' | 'json' | 'number' | 'reference';

export interface FieldSpec {
  name: string;
  label: string;
  control: FieldControl;
  /** Empty means null. */
  nullable: boolean;
  /** Empty means "not given" (the engine picks a value, e.g. a generated id). */
  optional: boolean;
  /** Choices of a select. */
  options?: readonly string[];
  /** A reference: the table whose keys are the choices. */
  references?: ReferencedTable;
  minLength?: number;
  maxLength?: number;
  /** A short hint under the field. */
  hint?: string;
}

interface Shape {
  kind: 'string' | 'enum' | 'boolean' | 'number' | 'json';
  format?: string;
  options?: readonly string[];
  nullable: boolean;
  optional: boolean;
  minLength?: number;
  maxLength?: number;
  integer?: boolean;
}

/** Peels wrappers (optional, nullable, default, pipes, brands) down to what the user types. */
function shapeOf(schema: z.ZodType): Shape {
  if (schema instanceof z.ZodOptional) return { ...shapeOf(schema.unwrap() as z.ZodType), optional: true };
  if (schema instanceof z.ZodNullable) return { ...shapeOf(schema.unwrap() as z.ZodType), nullable: true };
  if (schema instanceof z.ZodDefault) return { ...shapeOf(schema.unwrap() as z.ZodType), optional: true };
  if (schema instanceof z.ZodPipe) {
    // The input side decides the control (a transform only lower-cases or trims); the output side
    // holds the length rules that apply after it.
    const input = schema.in as z.ZodType;
    const output = schema.out as z.ZodType;
    const inner = input instanceof z.ZodTransform ? shapeOf(output) : shapeOf(input);
    if (output instanceof z.ZodTransform) return inner;
    const after = shapeOf(output);
    return {
      ...inner,
      ...(inner.minLength === undefined && after.minLength !== undefined ? { minLength: after.minLength } : {}),
      ...(inner.maxLength === undefined && after.maxLength !== undefined ? { maxLength: after.maxLength } : {}),
      ...(inner.format === undefined && after.format !== undefined ? { format: after.format } : {}),
    };
  }
  const base = { nullable: false, optional: false };
  if (schema instanceof z.ZodEnum) return { ...base, kind: 'enum', options: schema.options.map(String) };
  if (schema instanceof z.ZodBoolean) return { ...base, kind: 'boolean' };
  if (schema instanceof z.ZodNumber) return { ...base, kind: 'number', integer: schema.isInt };
  const def = schema.def as { type: string; format?: string };
  if (def.type === 'string') {
    const s = schema as z.ZodString;
    return {
      ...base,
      kind: 'string',
      ...(def.format ? { format: def.format } : {}),
      ...(s.minLength !== null && s.minLength !== undefined ? { minLength: s.minLength } : {}),
      ...(s.maxLength !== null && s.maxLength !== undefined ? { maxLength: s.maxLength } : {}),
    };
  }
  // Records, objects, arrays, z.json(): edited as JSON text.
  return { ...base, kind: 'json' };
}

const ACRONYMS: Record<string, string> = { id: 'ID', json: 'JSON', url: 'URL', ttl: 'TTL' };

/** "storage_id" → "Storage ID", "shared_tables_template" → "Shared tables template". */
export function humanize(name: string): string {
  const words = name.split(/[_\s]+/).filter(Boolean);
  return words.map((w, i) => ACRONYMS[w.toLowerCase()] ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

function controlFor(name: string, shape: Shape): FieldControl {
  switch (shape.kind) {
    case 'enum':
      return 'select';
    case 'boolean':
      return 'checkbox';
    case 'number':
      return 'number';
    case 'json':
      return 'json';
    case 'string':
      if (/password/i.test(name)) return 'password';
      if (shape.format === 'email') return 'email';
      return shape.maxLength !== undefined && shape.maxLength > 300 && !/_id$|template|directory/.test(name) ? 'textarea' : 'text';
  }
}

function hintFor(shape: Shape, control: FieldControl): string | undefined {
  if (control === 'json') return 'JSON object, e.g. {"key": "value"}';
  if (control === 'reference') return shape.nullable || shape.optional ? 'Optional: choose “(none)” for none.' : undefined;
  if (control === 'password') return shape.minLength ? `At least ${shape.minLength} characters. Never shown again.` : 'Never shown again.';
  if (shape.optional && control !== 'checkbox' && control !== 'select') return 'Optional: leave empty to let the engine choose.';
  if (shape.nullable && control !== 'checkbox') return 'Optional: leave empty for none.';
  return undefined;
}

/**
 * The fields of a form, read from its zod object schema: strings become text inputs (email and
 * password inputs by format and name), enums selects, booleans checkboxes, records and other
 * structures JSON text areas. `first` puts key fields at the top.
 */
export function formFields(schema: z.ZodType, first: readonly string[] = []): FieldSpec[] {
  if (!(schema instanceof z.ZodObject)) throw new Error('A form schema must be a zod object');
  const shape: Record<string, z.ZodType> = schema.shape;
  const entries = Object.entries(shape);
  const rank = (name: string) => {
    const i = first.indexOf(name);
    if (i >= 0) return i;
    return /password/i.test(name) ? 10_000 : 1_000;
  };
  const ordered = entries.map(([name, s], i) => ({ name, s, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i);
  return ordered.map(({ name, s }) => {
    const shape = shapeOf(s);
    const references = columnMeta.get(s)?.references;
    const control = references ? 'reference' : controlFor(name, shape);
    const hint = hintFor(shape, control);
    return {
      name,
      label: humanize(name),
      control,
      nullable: shape.nullable,
      optional: shape.optional,
      ...(shape.options ? { options: shape.options } : {}),
      ...(references ? { references } : {}),
      ...(shape.minLength !== undefined ? { minLength: shape.minLength } : {}),
      ...(shape.maxLength !== undefined ? { maxLength: shape.maxLength } : {}),
      ...(hint ? { hint } : {}),
    };
  });
}
