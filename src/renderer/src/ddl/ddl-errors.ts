import { errorCode, errorMessage, validationIssues } from '../api/errors';
import { draftField } from './table-draft';

export interface DdlErrors {
  /** Form field → message. */
  fields: Record<string, string>;
  /** Messages for the whole dialog. */
  form: string[];
}

/**
 * A failed DDL call's errors, placed on the form's fields when they name one the form has
 * (`known`), otherwise on the dialog. ALREADY_EXISTS goes on the name.
 */
export function mapDdlError(error: unknown, known: ReadonlySet<string>, nameField = 'name'): DdlErrors {
  const out: DdlErrors = { fields: {}, form: [] };
  if (errorCode(error) === 'VALIDATION') {
    for (const issue of validationIssues(error)) {
      const field = draftField(issue.field);
      if (known.has(field) && out.fields[field] === undefined) out.fields[field] = issue.message;
      else out.form.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
    }
    if (Object.keys(out.fields).length === 0 && out.form.length === 0) out.form.push(errorMessage(error));
    return out;
  }
  if (errorCode(error) === 'ALREADY_EXISTS' && known.has(nameField)) {
    out.fields[nameField] = errorMessage(error);
    return out;
  }
  out.form.push(errorMessage(error));
  return out;
}
