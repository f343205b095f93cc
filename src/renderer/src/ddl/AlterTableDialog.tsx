import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { orpc } from '../api/client';
import { useReadOnly } from '../app/engine';
import { Dialog } from '../components/Dialog';
import { PreviewFooter } from '../components/DialogFooter';
import { ColumnTypeOptions } from './ColumnTypeOptions';
import { FormErrors } from '../components/FormErrors';
import { useToast } from '../components/toast-context';
import type { DataTableDescription } from '../data-rows/DataRowActions';
import type { TableChangeResult } from '../../../shared/contract';
import { type AlterAction, type AlterDraft, alterDraftFor, alterField, alterInput } from './alter-draft';
import { ChangePreview } from './ChangePreview';
import { mapDdlError } from './ddl-errors';
import { TableOptionsFields } from './TableOptionsFields';
import { fieldError } from './field-error';

const ACTIONS: { value: AlterAction; label: string }[] = [
  { value: 'add_column', label: 'Add a column' },
  { value: 'drop_column', label: 'Drop a column' },
  { value: 'rename_column', label: 'Rename a column' },
  { value: 'set_options', label: 'Change options' },
];

const FIELDS = ['column.name', 'column.type', 'column.nullable', 'column.default', 'name', 'from', 'to', 'access_level', 'ttl_seconds', 'flush_row_limit', 'flush_interval_seconds', 'comment'];

/**
 * One change to a table's schema per apply (the schema version goes up by one): add, drop or
 * rename a column, or change options. The preview is the engine's dry run: its statement and the
 * definition after it, with what changed marked.
 */
export function AlterTableDialog({ description, onClose }: { description: DataTableDescription; onClose: () => void }) {
  const definition = description.definition;
  const queryClient = useQueryClient();
  const toast = useToast();
  const readOnly = useReadOnly();
  const formId = useId();
  const form = useForm<AlterDraft>({ defaultValues: alterDraftFor(definition) });
  const { errors } = form.formState;
  const action = useWatch({ control: form.control, name: 'action' });
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [preview, setPreview] = useState<TableChangeResult | undefined>();
  const alter = useMutation(orpc.ddl.alterTable.mutationOptions());
  const others = definition.columns.filter((c) => !c.primary_key);

  useEffect(() => {
    const sub = form.watch(() => setPreview(undefined));
    return () => sub.unsubscribe();
  }, [form]);

  function showErrors(fields: Record<string, string>): void {
    form.clearErrors();
    let first = true;
    for (const [name, message] of Object.entries(fields)) {
      form.setError(name as keyof AlterDraft, { type: 'validate', message }, { shouldFocus: first });
      first = false;
    }
  }

  async function submit(values: AlterDraft, dryRun: boolean): Promise<void> {
    setFormErrors([]);
    const { change, errors: local } = alterInput(values, definition);
    if (Object.keys(local).length > 0) return showErrors(local);
    showErrors({});
    try {
      const result = await alter.mutateAsync({ table: description.table, change, dryRun });
      if (dryRun) return setPreview(result);
      await queryClient.invalidateQueries({ queryKey: orpc.tables.key() });
      await queryClient.invalidateQueries({ queryKey: orpc.rows.key() });
      toast.show({ kind: 'success', message: `Altered ${description.table} (schema version ${result.definition.schema_version}).` });
      onClose();
    } catch (e) {
      const mapped = mapDdlError(e, new Set(FIELDS));
      const fields = Object.fromEntries(Object.entries(mapped.fields).map(([k, v]) => [alterField(k, values.action), v]));
      showErrors(fields);
      setFormErrors(mapped.form);
      setPreview(undefined);
    }
  }

  const err = (path: string) => fieldError(errors, path);
  const fieldProps = (path: string) => ({
    id: `${formId}-${path}`,
    'aria-invalid': err(path) ? true : undefined,
    'aria-describedby': err(path) ? `${formId}-${path}-error` : undefined,
  });
  const errorText = (path: string) =>
    err(path) ? (
      <p id={`${formId}-${path}-error`} className="field__error">
        {err(path)}
      </p>
    ) : null;
  const label = (path: string, text: string) => (
    <label className="field__label" htmlFor={`${formId}-${path}`}>
      {text}
    </label>
  );

  return (
    <Dialog
      title={`Alter table ${description.table}`}
      size="large"
      onClose={onClose}
      footer={
        <PreviewFooter
          onCancel={onClose}
          formId={formId}
          previewed={preview !== undefined}
          busy={alter.isPending}
          readOnly={readOnly}
          onApply={() => void form.handleSubmit((v) => submit(v, false))()}
          applyLabel="Apply change"
          applyingLabel="Applying…"
          checkingLabel="Checking…"
        />
      }
    >
      <FormErrors title="Not changed" messages={formErrors} />
      <form id={formId} className="entity-form ddl-form" noValidate onSubmit={(e) => void form.handleSubmit((v) => submit(v, true))(e)}>
        <div className="field">
          {label('action', 'Change')}
          <select className="select" id={`${formId}-action`} {...form.register('action')}>
            {ACTIONS.map((a) => (
              <option key={a.value} value={a.value} disabled={(a.value === 'drop_column' || a.value === 'rename_column') && others.length === 0}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        {action === 'add_column' ? (
          <fieldset className="column-editor__row column-editor__row--single">
            <legend className="column-editor__legend">New column</legend>
            <div className={`field${err('column.name') ? ' field--invalid' : ''}`}>
              {label('column.name', 'Name')}
              <input className="input" autoComplete="off" spellCheck={false} {...fieldProps('column.name')} {...form.register('column.name')} />
              {errorText('column.name')}
            </div>
            <div className="field">
              {label('column.type', 'Type')}
              <select className="select" {...fieldProps('column.type')} {...form.register('column.type')}>
                <ColumnTypeOptions />
              </select>
            </div>
            <label className="checkbox column-editor__flag">
              <input type="checkbox" {...form.register('column.nullable')} />
              <span>Nullable</span>
            </label>
            <div className={`field${err('column.default') ? ' field--invalid' : ''}`}>
              {label('column.default', 'Default')}
              <input className="input" autoComplete="off" spellCheck={false} placeholder="none" {...fieldProps('column.default')} {...form.register('column.default')} />
              {errorText('column.default')}
            </div>
          </fieldset>
        ) : null}
        {action === 'drop_column' ? (
          <div className={`field${err('name') ? ' field--invalid' : ''}`}>
            {label('name', 'Column to drop')}
            <select className="select" {...fieldProps('name')} {...form.register('name')}>
              {others.map((c) => (
                <option key={c.name} value={c.name}>
                  {c.name} ({c.type})
                </option>
              ))}
            </select>
            {errorText('name')}
            <p className="field__hint">The column’s values are no longer read; the primary key cannot be dropped.</p>
          </div>
        ) : null}
        {action === 'rename_column' ? (
          <div className="table-options__pair">
            <div className={`field${err('from') ? ' field--invalid' : ''}`}>
              {label('from', 'Column')}
              <select className="select" {...fieldProps('from')} {...form.register('from')}>
                {others.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
              {errorText('from')}
            </div>
            <div className={`field${err('to') ? ' field--invalid' : ''}`}>
              {label('to', 'New name')}
              <input className="input" autoComplete="off" spellCheck={false} {...fieldProps('to')} {...form.register('to')} />
              {errorText('to')}
            </div>
          </div>
        ) : null}
        {action === 'set_options' ? <TableOptionsFields type={definition.table_type === 'system' ? 'shared' : definition.table_type} register={form.register} errors={errors} disabled={alter.isPending} /> : null}
      </form>
      {preview ? <ChangePreview statement={preview.statement} definition={preview.definition} before={definition} /> : null}
    </Dialog>
  );
}
