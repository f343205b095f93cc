import type { FieldSpec } from '../editor/form-fields';
import { humanize } from '../editor/form-fields';
import type { FormValues } from '../editor/form-values';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { parseColumnText, typeHint, valueToText } from './column-values';
import { ownValue } from '../../../shared/own-keys';

export type RowFormMode = 'create' | 'edit' | 'clone';

/** A form field of a data-table column; the column rides along for conversion. */
export interface RowField extends FieldSpec {
  column: ColumnDefinition;
}

function hintFor(c: ColumnDefinition, mode: RowFormMode): string | undefined {
  const parts = [typeHint(c.type)];
  if (mode !== 'edit' && c.default !== undefined) parts.push(`Leave empty for the default, ${JSON.stringify(c.default)}.`);
  else if (c.nullable && c.type !== 'boolean') parts.push('Leave empty for null.');
  return parts.filter(Boolean).join(' ') || undefined;
}

/**
 * The fields of a row form, one per column of the table's current definition (system columns are
 * not fields: the engine sets them). Booleans are a true/false choice, json a JSON text area,
 * everything else typed text read by parseColumnText.
 */
export function rowFields(columns: readonly ColumnDefinition[], mode: RowFormMode): RowField[] {
  return columns.map((c) => {
    const hint = hintFor(c, mode);
    return {
      name: c.name,
      label: c.primary_key ? `${humanize(c.name)} (primary key)` : humanize(c.name),
      control: c.type === 'boolean' ? 'select' : c.type === 'json' ? 'json' : 'text',
      nullable: c.nullable,
      optional: mode !== 'edit' && c.default !== undefined,
      ...(c.type === 'boolean' ? { options: ['true', 'false'] } : {}),
      ...(hint ? { hint } : {}),
      column: c,
    };
  });
}

/** Form text for a stored row (edit, clone) or a new one (empty: defaults apply). */
export function rowFormValues(fields: readonly RowField[], values?: Readonly<Record<string, unknown>>, omit: readonly string[] = []): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f.name] = values && !omit.includes(f.name) ? valueToText(f.column.type, ownValue(values, f.name)) : '';
  return out;
}

/**
 * Form text → column values. Create leaves out empty columns that have a default (the engine fills
 * them); edit sends every column but the primary key, which cannot change.
 */
export function rowValuesOf(
  fields: readonly RowField[],
  form: Readonly<FormValues>,
  mode: RowFormMode,
): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    if (mode === 'edit' && f.column.primary_key) continue;
    const raw = form[f.name];
    const text = typeof raw === 'string' ? raw : '';
    if (text === '' && mode !== 'edit' && f.column.default !== undefined) continue;
    const parsed = parseColumnText(f.column.type, text, f.column.nullable);
    if (parsed.ok) values[f.name] = parsed.value;
    else errors[f.name] = parsed.message;
  }
  return { values, errors };
}
