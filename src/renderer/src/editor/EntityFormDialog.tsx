import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { orpc } from '../api/client';
import { errorCode } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { useDiscardGuard } from '../components/DiscardPrompt';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter, SaveButton } from '../components/DialogFooter';
import { useToast } from '../components/toast-context';
import type { VersionedRow } from '../../../shared/contract';
import { ConflictDialog } from './ConflictDialog';
import type { EditableTable } from './editable';
import { FieldInput } from './FieldInput';
import { type FormValues, fromFormValues, type SubmitValues, toFormValues } from './form-values';
import { formResolver } from './resolver';
import { mapSaveError } from './server-errors';
import { offerUndo } from './undo';

export type EditorMode = 'create' | 'edit' | 'clone';

interface EntityFormDialogProps {
  editable: EditableTable;
  mode: EditorMode;
  /** Edit: the stored row and its version, as loaded when the dialog opened. Clone: the source row. */
  source?: VersionedRow;
  readOnly: boolean;
  onClose: () => void;
  onSaved: (row: VersionedRow) => void;
}

const TITLES: Record<EditorMode, string> = { create: 'New', edit: 'Edit', clone: 'Clone' };

/**
 * The create / edit / clone form of an entity. Edits hold the version they were opened at; a save
 * that meets a newer version opens the conflict dialog instead of overwriting.
 */
export function EntityFormDialog({ editable, mode, source, readOnly, onClose, onSaved }: EntityFormDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const formId = useId();
  const spec = mode === 'edit' ? editable.update : editable.create;
  const rowKey = mode === 'edit' ? source?.row.key : undefined;
  // A deleted user opened from the grid: shown as it was, not editable.
  const retired = mode === 'edit' && source ? editable.retired(source.row.values) : undefined;

  // The version this edit is based on, and the values it started from (for Undo).
  const [base, setBase] = useState(() => ({
    version: source?.version,
    form: toFormValues(spec.fields, source?.row.values, mode === 'clone' ? [editable.keyColumn, ...editable.uniqueFields] : []),
  }));
  const resolver = useMemo(() => formResolver(spec.schema, spec.fields), [spec]);
  const form = useForm<FormValues, unknown, SubmitValues>({ defaultValues: base.form, resolver, mode: 'onTouched' });
  const { errors, isDirty } = form.formState;

  // Live updates refetch the stored row: tell the user before they run into a conflict.
  const current = useQuery(orpc.rows.get.queryOptions({ input: rowKey === undefined ? skipToken : { table: editable.table, key: rowKey } }));
  const staleSince = mode === 'edit' && current.data !== undefined && base.version !== undefined && current.data.version !== base.version;

  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState<SubmitValues | undefined>();

  const create = useMutation(orpc.entities.create.mutationOptions());
  const update = useMutation(orpc.entities.update.mutationOptions());
  const busy = create.isPending || update.isPending;

  function showErrors(error: unknown): void {
    const mapped = mapSaveError(error, spec.fields, editable.keyColumn);
    for (const [name, message] of Object.entries(mapped.fields)) form.setError(name, { type: 'server', message }, { shouldFocus: true });
    setFormErrors(mapped.form);
  }

  async function saved(row: VersionedRow): Promise<void> {
    await invalidateTable(queryClient, editable.table);
    onSaved(row);
  }

  /** `replaced`: on overwrite, the stored row being overwritten (what Undo brings back). */
  async function save(values: SubmitValues, overwrite = false, replaced?: VersionedRow): Promise<void> {
    setFormErrors([]);
    if (mode !== 'edit') {
      try {
        const row = await create.mutateAsync({ table: editable.table, values });
        toast.show({ kind: 'success', message: `Created ${editable.noun} ${row.row.key}.` });
        await saved(row);
      } catch (e) {
        showErrors(e);
      }
      return;
    }
    if (rowKey === undefined || base.version === undefined) return;
    try {
      const row = await update.mutateAsync({ table: editable.table, key: rowKey, values, version: base.version, ...(overwrite ? { overwrite: true } : {}) });
      setConflict(undefined);
      offerUndo({
        toast,
        queryClient,
        table: editable.table,
        key: rowKey,
        noun: editable.noun,
        previous: fromFormValues(spec.fields, replaced ? toFormValues(spec.fields, replaced.row.values) : base.form).values,
        version: row.version,
      });
      await saved(row);
    } catch (e) {
      if (errorCode(e) === 'CONFLICT') {
        setConflict(values);
        return;
      }
      setConflict(undefined);
      if (errorCode(e) === 'NOT_FOUND') setFormErrors([`This ${editable.noun} no longer exists: it was deleted after you opened it.`]);
      else showErrors(e);
    }
  }

  function reloadTheirs(latest: VersionedRow): void {
    const next = { version: latest.version, form: toFormValues(spec.fields, latest.row.values) };
    setBase(next);
    form.reset(next.form);
    setConflict(undefined);
    setFormErrors([]);
    toast.show({ kind: 'info', message: `Loaded the stored ${editable.noun}; your changes were discarded.` });
  }

  const { requestClose, prompt } = useDiscardGuard(isDirty && !busy, onClose);
  const title = `${TITLES[mode]} ${editable.noun}${rowKey !== undefined ? ` ${rowKey}` : ''}`;

  return (
    <Dialog
      title={title}
      size="medium"
      onClose={requestClose}
      footer={
        prompt ?? (
          <DialogFooter onCancel={requestClose}>
            <SaveButton formId={formId} busy={busy} readOnly={readOnly} blocked={retired?.reason} />
          </DialogFooter>
        )
      }
    >
      <ReadOnlyNotice readOnly={readOnly} consequence="changes cannot be saved." />
      {retired ? (
        <Alert kind="warning" live={false} title={`${editable.noun.charAt(0).toUpperCase()}${editable.noun.slice(1)} ${retired.label}`}>
          {retired.reason}.
        </Alert>
      ) : null}
      {staleSince && !conflict ? (
        <Alert kind="warning">This {editable.noun} was changed by someone else after you opened it. Saving will let you choose whose values to keep.</Alert>
      ) : null}
      {formErrors.length > 0 ? (
        <Alert kind="error" title="Not saved">
          {formErrors.length === 1 ? (
            formErrors[0]
          ) : (
            <ul>
              {formErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          )}
        </Alert>
      ) : null}
      <form id={formId} className="entity-form" noValidate onSubmit={(e) => void form.handleSubmit((values) => save(values))(e)}>
        {spec.fields.map((field) => (
          <FieldInput
            key={field.name}
            field={field}
            register={form.register}
            control={form.control}
            error={errors[field.name]?.message}
            disabled={busy || retired !== undefined}
          />
        ))}
      </form>
      {conflict && rowKey !== undefined ? (
        <ConflictDialog
          table={editable.table}
          rowKey={rowKey}
          noun={editable.noun}
          fields={spec.fields}
          mine={conflict}
          busy={busy}
          onCancel={() => setConflict(undefined)}
          onReload={reloadTheirs}
          onOverwrite={(replaced) => void save(conflict, true, replaced)}
        />
      ) : null}
    </Dialog>
  );
}
