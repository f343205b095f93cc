import type { FieldSpec } from './form-fields';

/** What react-hook-form holds: text for every input, booleans for checkboxes. */
export type FormValues = Record<string, string | boolean>;

/** What is sent to the engine. */
export type SubmitValues = Record<string, unknown>;

function toText(field: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return field.control === 'json' ? '{}' : '';
  if (field.control === 'json') return JSON.stringify(value, null, 2);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * Form values for a row (edit, clone) or for a new entity (no row): nulls become empty inputs,
 * JSON is pretty-printed, enums start at their first choice. Fields in `omit` start empty.
 */
export function toFormValues(fields: readonly FieldSpec[], row?: Readonly<Record<string, unknown>>, omit: readonly string[] = []): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const value = row && !omit.includes(f.name) ? row[f.name] : undefined;
    if (f.control === 'checkbox') out[f.name] = value === true;
    else if (f.control === 'password') out[f.name] = '';
    else if (f.control === 'select' && (value === undefined || value === null)) out[f.name] = f.nullable || f.optional ? '' : (f.options?.[0] ?? '');
    else out[f.name] = toText(f, value);
  }
  return out;
}

export interface Converted {
  values: SubmitValues;
  /** Field → message for inputs that cannot even be converted (bad JSON, not a number). */
  errors: Record<string, string>;
}

/**
 * Form values → values for the engine: empty nullable inputs become null, empty optional inputs
 * are left out, JSON text is parsed, numbers are read. The zod schema checks the result.
 */
export function fromFormValues(fields: readonly FieldSpec[], form: Readonly<FormValues>): Converted {
  const values: SubmitValues = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = form[f.name];
    if (f.control === 'checkbox') {
      values[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      if (f.optional) continue;
      if (f.nullable) {
        values[f.name] = null;
        continue;
      }
    }
    switch (f.control) {
      case 'json':
        try {
          values[f.name] = JSON.parse(text) as unknown;
        } catch {
          errors[f.name] = 'must be valid JSON';
        }
        break;
      case 'number': {
        const n = Number(text);
        if (text.trim() === '' || !Number.isFinite(n)) errors[f.name] = 'must be a number';
        else values[f.name] = n;
        break;
      }
      default:
        values[f.name] = text;
    }
  }
  return { values, errors };
}

/** Fields whose values differ between two sets of values (for the conflict view). */
export function changedFields(fields: readonly FieldSpec[], a: Readonly<SubmitValues>, b: Readonly<Record<string, unknown>>): string[] {
  return fields.filter((f) => f.control !== 'password' && JSON.stringify(a[f.name] ?? null) !== JSON.stringify(b[f.name] ?? null)).map((f) => f.name);
}
