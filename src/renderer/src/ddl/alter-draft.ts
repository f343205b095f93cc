import type { TableAccess } from '../../../shared/access';
import { type AlterTableInput, AlterTableInputSchema } from '../../../shared/ddl';
import type { TableMetadata } from '../../../shared/system/tables';
import { fieldOfPath } from '../../../shared/field-path';
import { type ColumnDraft, columnInput, type DraftErrors, draftField, emptyColumn, flushPolicyOf } from './table-draft';

export type AlterAction = AlterTableInput['action'];

/** The alter form: every action's fields (only the chosen action's are read). */
export interface AlterDraft {
  action: AlterAction;
  column: ColumnDraft;
  /** drop_column */
  name: string;
  /** rename_column */
  from: string;
  to: string;
  /** set_options */
  access_level: TableAccess;
  ttl_seconds: string;
  flush_row_limit: string;
  flush_interval_seconds: string;
  comment: string;
}

export function alterDraftFor(definition: TableMetadata): AlterDraft {
  const firstOther = definition.columns.find((c) => !c.primary_key)?.name ?? '';
  return {
    action: 'add_column',
    column: emptyColumn(),
    name: firstOther,
    from: firstOther,
    to: '',
    access_level: definition.access_level ?? 'private',
    ttl_seconds: definition.ttl_seconds === null ? '' : String(definition.ttl_seconds),
    flush_row_limit: definition.flush_policy?.row_limit === undefined ? '' : String(definition.flush_policy.row_limit),
    flush_interval_seconds: definition.flush_policy?.interval_seconds === undefined ? '' : String(definition.flush_policy.interval_seconds),
    comment: definition.comment ?? '',
  };
}

/** The one change the form describes, checked with the shared schema; errors keyed by form field. */
export function alterInput(d: AlterDraft, definition: TableMetadata): { change: AlterTableInput; errors: DraftErrors } {
  const errors: DraftErrors = {};
  let change: AlterTableInput;
  switch (d.action) {
    case 'add_column':
      change = { action: 'add_column', column: columnInput({ ...d.column, primary_key: false }, 'column', errors) };
      if (!d.column.nullable && d.column.default === '') errors['column.default'] ??= 'a new column must be nullable or have a default (existing rows read it)';
      break;
    case 'drop_column':
      change = { action: 'drop_column', name: d.name };
      break;
    case 'rename_column':
      change = { action: 'rename_column', from: d.from, to: d.to };
      break;
    case 'set_options': {
      const flush = flushPolicyOf(d.flush_row_limit, d.flush_interval_seconds, errors);
      const ttl = Number(d.ttl_seconds.trim());
      if (definition.table_type === 'stream' && (!Number.isSafeInteger(ttl) || ttl < 1)) errors.ttl_seconds = 'must be a whole number of at least 1';
      change = {
        action: 'set_options',
        comment: d.comment.trim() === '' ? null : d.comment.trim(),
        flush_policy: flush,
        ...(definition.table_type === 'shared' ? { access_level: d.access_level } : {}),
        ...(definition.table_type === 'stream' && !errors.ttl_seconds ? { ttl_seconds: ttl } : {}),
      };
      break;
    }
  }
  const checked = AlterTableInputSchema.safeParse(change);
  if (!checked.success) {
    for (const issue of checked.error.issues) errors[alterField(fieldOfPath(issue.path), d.action)] ??= issue.message;
  }
  return { change, errors };
}

/** An engine error path of an alter ("change.column.name", "change.to") → the form field. */
export function alterField(path: string, action: AlterAction): string {
  const field = draftField(path);
  return action === 'drop_column' && field === 'name' ? 'name' : field;
}
