import { fieldOfPath, pathOfField } from '../../../shared/field-path';
import { errorCode, errorMessage, uniqueViolationField, validationIssues } from '../api/errors';
import type { FieldSpec } from './form-fields';

export interface MappedErrors {
  /** Messages to put on form fields. */
  fields: Record<string, string>;
  /** Messages for the whole form (issues on fields the form does not show, other errors). */
  form: string[];
}

/** Issue paths may name the input (`values.username`) or the field (`username`), or a part of the field's value. */
function fieldName(field: string, names: ReadonlySet<string>): string | undefined {
  const path = pathOfField(field);
  const inValues = path[0] === 'values' && path.length > 1 ? path.slice(1) : path;
  const candidates = [field, fieldOfPath(inValues), String(path[0] ?? ''), String(inValues[0] ?? '')];
  return candidates.find((c) => names.has(c));
}

/**
 * Puts a failed save's errors where the user can act on them: VALIDATION issues and
 * UNIQUE_VIOLATION on their fields (the form's, and `outside`: fields the dialog shows beside the
 * generated form, such as a row's owner), ALREADY_EXISTS on the key field, the rest on the form.
 */
export function mapSaveError(error: unknown, fields: readonly FieldSpec[], keyField: string | undefined, outside: readonly string[] = []): MappedErrors {
  const names = new Set([...fields.map((f) => f.name), ...outside]);
  const out: MappedErrors = { fields: {}, form: [] };
  switch (errorCode(error)) {
    case 'VALIDATION': {
      const issues = validationIssues(error);
      for (const issue of issues) {
        const name = fieldName(issue.field, names);
        if (name && !out.fields[name]) out.fields[name] = issue.message;
        else if (!name) out.form.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
      }
      if (issues.length === 0) out.form.push(errorMessage(error));
      return out;
    }
    case 'UNIQUE_VIOLATION': {
      const field = uniqueViolationField(error);
      const name = field === undefined ? undefined : fieldName(field, names);
      if (name) out.fields[name] = 'is already taken';
      else out.form.push(errorMessage(error));
      return out;
    }
    case 'ALREADY_EXISTS':
      if (keyField && names.has(keyField)) out.fields[keyField] = 'already exists';
      else out.form.push(errorMessage(error));
      return out;
    default:
      out.form.push(errorMessage(error));
      return out;
  }
}
