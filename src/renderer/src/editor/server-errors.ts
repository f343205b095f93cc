import { errorCode, errorMessage, uniqueViolationField, validationIssues } from '../api/errors';
import type { FieldSpec } from './form-fields';

export interface MappedErrors {
  /** Messages to put on form fields. */
  fields: Record<string, string>;
  /** Messages for the whole form (issues on fields the form does not show, other errors). */
  form: string[];
}

/** Issue paths may name the input (`values.username`) or the field (`username`). */
function fieldName(path: string, names: ReadonlySet<string>): string | undefined {
  const candidates = [path, path.replace(/^values[./]/, ''), path.split(/[./]/)[0] ?? path, path.replace(/^values[./]/, '').split(/[./]/)[0] ?? path];
  return candidates.find((c) => names.has(c));
}

/**
 * Puts a failed save's errors where the user can act on them: VALIDATION issues and
 * UNIQUE_VIOLATION on their fields, ALREADY_EXISTS on the key field, the rest on the form.
 */
export function mapSaveError(error: unknown, fields: readonly FieldSpec[], keyField: string | undefined): MappedErrors {
  const names = new Set(fields.map((f) => f.name));
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
