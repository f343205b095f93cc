import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { orpc } from '../api/client';
import { navigate } from '../app/use-route';
import { controlA11y, FieldFrame } from '../components/FieldFrame';
import type { TableChangeResult } from '../../../shared/contract';
import { ChangePreview } from './ChangePreview';
import { ColumnEditor } from './ColumnEditor';
import { setDraftErrors, useOnDraftEdit } from './draft-form';
import { PreviewDialog } from './PreviewDialog';
import { TableOptionsFields } from './TableOptionsFields';
import { draftToInput, newTableDraft, type TableDraft } from './table-draft';
import { TableTypeChoice } from './TableTypeChoice';
import { usePreviewedChange } from './use-previewed-change';

const tableId = (result: TableChangeResult) => `${result.definition.namespace_id}.${result.definition.table_name}`;

/**
 * New table in a namespace: name, kind, columns, options. "Preview" checks the draft here, then
 * asks the engine for a dry run (its statement and resulting definition); "Create table" applies
 * exactly what was previewed. Any edit after the preview asks for a new one.
 */
export function CreateTableDialog({ namespace, onClose }: { namespace: string; onClose: () => void }) {
  const nameId = useId();
  const form = useForm<TableDraft>({ defaultValues: newTableDraft(namespace) });
  const { errors } = form.formState;
  const type = useWatch({ control: form.control, name: 'type' });
  const [columnsError, setColumnsError] = useState<string | undefined>();
  const create = useMutation(orpc.ddl.createTable.mutationOptions());
  const change = usePreviewedChange<TableChangeResult>({
    // "columns" is the column list as a whole: shown above it rather than on a field.
    showFieldErrors: ({ columns, ...fields }) => {
      setColumnsError(columns);
      setDraftErrors(form, fields);
    },
    refresh: [orpc.tables.key()],
    appliedMessage: (result) => `Created ${result.definition.table_type} table ${tableId(result)}.`,
    onClose,
    afterClose: (result) => navigate({ view: 'table', table: tableId(result) }),
  });
  useOnDraftEdit(form, change.clearPreview);

  function submit(values: TableDraft, dryRun: boolean): Promise<void> {
    const { input, errors: local } = draftToInput(values);
    const known = new Set([
      ...Object.keys(values),
      ...values.columns.flatMap((_, i) => ['name', 'type', 'default'].map((f) => `columns.${i}.${f}`)),
      'flush_row_limit',
      'flush_interval_seconds',
    ]);
    return change.run({ dryRun, local, call: () => create.mutateAsync({ ...input, dryRun }), known });
  }

  const busy = create.isPending;
  return (
    <PreviewDialog
      title={`New table in ${namespace}`}
      size="large"
      onClose={onClose}
      onPreview={() => void form.handleSubmit((v) => submit(v, true))()}
      onApply={() => void form.handleSubmit((v) => submit(v, false))()}
      busy={busy}
      applyLabel="Create table"
      applyingLabel="Creating…"
      checkingLabel="Checking…"
      errorsTitle="Not created"
      formErrors={change.formErrors}
      formClassName="entity-form ddl-form"
      preview={change.preview ? <ChangePreview statement={change.preview.statement} definition={change.preview.definition} /> : null}
    >
      <FieldFrame id={nameId} label="Table name" error={errors.name?.message} required>
        <input
          className="input"
          autoComplete="off"
          spellCheck={false}
          aria-required
          {...controlA11y(nameId, errors.name?.message, false)}
          {...form.register('name')}
        />
      </FieldFrame>
      <TableTypeChoice register={form.register} disabled={busy} />
      <ColumnEditor control={form.control} register={form.register} setValue={form.setValue} errors={errors} columnsError={columnsError} disabled={busy} />
      <TableOptionsFields type={type} register={form.register} errors={errors} disabled={busy} />
    </PreviewDialog>
  );
}
