import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { orpc } from '../api/client';
import { useReadOnly } from '../app/engine';
import { navigate } from '../app/use-route';
import { Dialog } from '../components/Dialog';
import { PreviewFooter } from '../components/DialogFooter';
import { FormErrors } from '../components/FormErrors';
import { useToast } from '../components/toast-context';
import type { TableChangeResult } from '../../../shared/contract';
import { ChangePreview } from './ChangePreview';
import { ColumnEditor } from './ColumnEditor';
import { mapDdlError } from './ddl-errors';
import { TableOptionsFields } from './TableOptionsFields';
import { draftToInput, newTableDraft, type TableDraft } from './table-draft';
import { TableTypeChoice } from './TableTypeChoice';

/**
 * New table in a namespace: name, kind, columns, options. "Preview" checks the draft here, then
 * asks the engine for a dry run (its statement and resulting definition); "Create table" applies
 * exactly what was previewed. Any edit after the preview asks for a new one.
 */
export function CreateTableDialog({ namespace, onClose }: { namespace: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const readOnly = useReadOnly();
  const formId = useId();
  const form = useForm<TableDraft>({ defaultValues: newTableDraft(namespace) });
  const { errors } = form.formState;
  const type = useWatch({ control: form.control, name: 'type' });
  const [columnsError, setColumnsError] = useState<string | undefined>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [preview, setPreview] = useState<TableChangeResult | undefined>();
  const create = useMutation(orpc.ddl.createTable.mutationOptions());

  // A preview describes the draft it was made from: any change invalidates it.
  useEffect(() => {
    const sub = form.watch(() => setPreview(undefined));
    return () => sub.unsubscribe();
  }, [form]);

  function showErrors(fields: Record<string, string>): void {
    form.clearErrors();
    setColumnsError(fields.columns);
    let first = true;
    for (const [name, message] of Object.entries(fields)) {
      if (name === 'columns') continue;
      form.setError(name as keyof TableDraft, { type: 'validate', message }, { shouldFocus: first });
      first = false;
    }
  }

  async function submit(values: TableDraft, dryRun: boolean): Promise<void> {
    setFormErrors([]);
    const { input, errors: local } = draftToInput(values);
    if (Object.keys(local).length > 0) {
      showErrors(local);
      return;
    }
    showErrors({});
    try {
      const result = await create.mutateAsync({ ...input, dryRun });
      if (dryRun) {
        setPreview(result);
        return;
      }
      await queryClient.invalidateQueries({ queryKey: orpc.tables.key() });
      const table = `${result.definition.namespace_id}.${result.definition.table_name}`;
      toast.show({ kind: 'success', message: `Created ${result.definition.table_type} table ${table}.` });
      onClose();
      navigate({ view: 'table', table });
    } catch (e) {
      const known = new Set([...Object.keys(values), ...values.columns.flatMap((_, i) => ['name', 'type', 'default'].map((f) => `columns.${i}.${f}`)), 'flush_row_limit', 'flush_interval_seconds']);
      const mapped = mapDdlError(e, known);
      showErrors(mapped.fields);
      setFormErrors(mapped.form);
    }
  }

  const busy = create.isPending;
  return (
    <Dialog
      title={`New table in ${namespace}`}
      size="large"
      onClose={onClose}
      footer={
        <PreviewFooter
          onCancel={onClose}
          formId={formId}
          previewed={preview !== undefined}
          busy={busy}
          readOnly={readOnly}
          onApply={() => void form.handleSubmit((v) => submit(v, false))()}
          applyLabel="Create table"
          applyingLabel="Creating…"
          checkingLabel="Checking…"
        />
      }
    >
      <FormErrors title="Not created" messages={formErrors} />
      <form id={formId} className="entity-form ddl-form" noValidate onSubmit={(e) => void form.handleSubmit((v) => submit(v, true))(e)}>
        <div className={`field${errors.name ? ' field--invalid' : ''}`}>
          <label className="field__label" htmlFor={`${formId}-name`}>
            Table name
            <span className="field__required" aria-hidden="true">
              {' '}
              *
            </span>
          </label>
          <input
            id={`${formId}-name`}
            className="input"
            autoComplete="off"
            spellCheck={false}
            aria-required
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `${formId}-name-error` : undefined}
            {...form.register('name')}
          />
          {errors.name ? (
            <p id={`${formId}-name-error`} className="field__error">
              {errors.name.message}
            </p>
          ) : null}
        </div>
        <TableTypeChoice register={form.register} disabled={busy} />
        <ColumnEditor control={form.control} register={form.register} setValue={form.setValue} errors={errors} columnsError={columnsError} disabled={busy} />
        <TableOptionsFields type={type} register={form.register} errors={errors} disabled={busy} />
      </form>
      {preview ? <ChangePreview statement={preview.statement} definition={preview.definition} /> : null}
    </Dialog>
  );
}
