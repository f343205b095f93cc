import { useMutation } from '@tanstack/react-query';
import { useId } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { orpc } from '../api/client';
import { controlA11y, FieldFrame } from '../components/FieldFrame';
import { ColumnTypeOptions } from './ColumnTypeOptions';
import type { DataTableDescription } from '../data-rows/DataRowActions';
import type { TableChangeResult } from '../../../shared/contract';
import { type AlterAction, type AlterDraft, alterDraftFor, alterField, alterInput } from './alter-draft';
import { ChangePreview } from './ChangePreview';
import { setDraftErrors, useOnDraftEdit } from './draft-form';
import { PreviewDialog } from './PreviewDialog';
import { TableOptionsFields } from './TableOptionsFields';
import { fieldError } from './field-error';
import { usePreviewedChange } from './use-previewed-change';

const ACTIONS: { value: AlterAction; label: string }[] = [
  { value: 'add_column', label: 'Add a column' },
  { value: 'drop_column', label: 'Drop a column' },
  { value: 'rename_column', label: 'Rename a column' },
  { value: 'set_options', label: 'Change options' },
];

const FIELDS = new Set([
  'column.name',
  'column.type',
  'column.nullable',
  'column.default',
  'name',
  'from',
  'to',
  'access_level',
  'ttl_seconds',
  'flush_row_limit',
  'flush_interval_seconds',
  'comment',
]);

/**
 * One change to a table's schema per apply (the schema version goes up by one): add, drop or
 * rename a column, or change options. The preview is the engine's dry run: its statement and the
 * definition after it, with what changed marked.
 */
export function AlterTableDialog({ description, onClose }: { description: DataTableDescription; onClose: () => void }) {
  const definition = description.definition;
  const fieldId = useId();
  const form = useForm<AlterDraft>({ defaultValues: alterDraftFor(definition) });
  const { errors } = form.formState;
  const action = useWatch({ control: form.control, name: 'action' });
  const alter = useMutation(orpc.ddl.alterTable.mutationOptions());
  const change = usePreviewedChange<TableChangeResult>({
    showFieldErrors: (fields) => setDraftErrors(form, fields),
    refresh: [orpc.tables.key(), orpc.rows.key()],
    appliedMessage: (result) => `Altered ${description.table} (schema version ${result.definition.schema_version}).`,
    onClose,
  });
  useOnDraftEdit(form, change.clearPreview);
  const others = definition.columns.filter((c) => !c.primary_key);

  function submit(values: AlterDraft, dryRun: boolean): Promise<void> {
    const { change: input, errors: local } = alterInput(values, definition);
    return change.run({
      dryRun,
      local,
      call: () => alter.mutateAsync({ table: description.table, change: input, dryRun }),
      known: FIELDS,
      formField: (f) => alterField(f, values.action),
    });
  }

  const err = (path: string) => fieldError(errors, path);
  const id = (path: string) => `${fieldId}-${path}`;
  const a11y = (path: string) => controlA11y(id(path), err(path), false);

  return (
    <PreviewDialog
      title={`Alter table ${description.table}`}
      size="large"
      onClose={onClose}
      onPreview={() => void form.handleSubmit((v) => submit(v, true))()}
      onApply={() => void form.handleSubmit((v) => submit(v, false))()}
      busy={alter.isPending}
      applyLabel="Apply change"
      applyingLabel="Applying…"
      checkingLabel="Checking…"
      errorsTitle="Not changed"
      formErrors={change.formErrors}
      formClassName="entity-form ddl-form"
      preview={change.preview ? <ChangePreview statement={change.preview.statement} definition={change.preview.definition} before={definition} /> : null}
    >
      <FieldFrame id={id('action')} label="Change" error={undefined}>
        <select className="select" id={id('action')} {...form.register('action')}>
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value} disabled={(a.value === 'drop_column' || a.value === 'rename_column') && others.length === 0}>
              {a.label}
            </option>
          ))}
        </select>
      </FieldFrame>
      {action === 'add_column' ? (
        <fieldset className="column-editor__row column-editor__row--single">
          <legend className="column-editor__legend">New column</legend>
          <FieldFrame id={id('column.name')} label="Name" error={err('column.name')}>
            <input className="input" autoComplete="off" spellCheck={false} {...a11y('column.name')} {...form.register('column.name')} />
          </FieldFrame>
          <FieldFrame id={id('column.type')} label="Type" error={err('column.type')}>
            <select className="select" {...a11y('column.type')} {...form.register('column.type')}>
              <ColumnTypeOptions />
            </select>
          </FieldFrame>
          <label className="checkbox column-editor__flag">
            <input type="checkbox" {...form.register('column.nullable')} />
            <span>Nullable</span>
          </label>
          <FieldFrame id={id('column.default')} label="Default" error={err('column.default')}>
            <input
              className="input"
              autoComplete="off"
              spellCheck={false}
              placeholder="none"
              {...a11y('column.default')}
              {...form.register('column.default')}
            />
          </FieldFrame>
        </fieldset>
      ) : null}
      {action === 'drop_column' ? (
        <FieldFrame
          id={id('name')}
          label="Column to drop"
          error={err('name')}
          hint="The column’s values are no longer read; the primary key cannot be dropped."
        >
          <select className="select" {...a11y('name')} {...form.register('name')}>
            {others.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
        </FieldFrame>
      ) : null}
      {action === 'rename_column' ? (
        <div className="table-options__pair">
          <FieldFrame id={id('from')} label="Column" error={err('from')}>
            <select className="select" {...a11y('from')} {...form.register('from')}>
              {others.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name}
                </option>
              ))}
            </select>
          </FieldFrame>
          <FieldFrame id={id('to')} label="New name" error={err('to')}>
            <input className="input" autoComplete="off" spellCheck={false} {...a11y('to')} {...form.register('to')} />
          </FieldFrame>
        </div>
      ) : null}
      {action === 'set_options' ? (
        <TableOptionsFields
          type={definition.table_type === 'system' ? 'shared' : definition.table_type}
          register={form.register}
          errors={errors}
          disabled={alter.isPending}
        />
      ) : null}
    </PreviewDialog>
  );
}
