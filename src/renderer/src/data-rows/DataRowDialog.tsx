import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { type FieldErrors, type Resolver, useForm } from 'react-hook-form';
import { orpc } from '../api/client';
import { errorCode } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { useDiscardGuard } from '../components/DiscardPrompt';
import { ReadOnlyNotice } from '../components/ReadOnlyNotice';
import { DialogFooter, SaveButton } from '../components/DialogFooter';
import { FormErrors } from '../components/FormErrors';
import { useToast } from '../components/toast-context';
import { ConflictDialog } from '../editor/ConflictDialog';
import { FieldInput } from '../editor/FieldInput';
import type { FormValues } from '../editor/form-values';
import { mapSaveError } from '../editor/server-errors';
import type { TableDescription, VersionedRow } from '../../../shared/contract';
import { UserIdSchema } from '../../../shared/keys/user-id';
import type { TableMetadata } from '../../../shared/system/tables';
import { asField, describeViewAs, useViewAs } from '../view-as/view-as-store';
import { historyStore } from '../staging/history-store';
import { sameValue } from '../staging/staged-changes';
import { type RowFormMode, rowFields, rowFormValues, rowValuesOf } from './row-fields';
import { OwnerPicker } from './OwnerPicker';
import { SystemColumns } from './SystemColumns';

interface DataRowDialogProps {
  description: TableDescription & { definition: TableMetadata };
  mode: RowFormMode;
  /** Edit and clone: the row as loaded when the dialog opened. */
  source?: VersionedRow;
  readOnly: boolean;
  onClose: () => void;
  onSaved: (row: VersionedRow, mode: RowFormMode) => void;
}

const TITLES: Record<RowFormMode, string> = { create: 'New row in', edit: 'Edit row', clone: 'Clone row' };

/** The field of rows.create's input that names a row's owner (and of the engine's issues about it). */
const OWNER_FIELD = 'user';

/**
 * Create / edit / clone a data-table row in a form generated from the table's columns. Edits carry
 * the version the server gave the row: a save that meets a newer one opens the conflict dialog. User and
 * stream rows belong to a user: the viewed-as user, or for the admin the one picked here.
 */
export function DataRowDialog({ description, mode, source, readOnly, onClose, onSaved }: DataRowDialogProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const viewAs = useViewAs();
  const formId = useId();
  const table = description.table;
  const definition = description.definition;
  const fields = useMemo(() => rowFields(definition.columns, mode), [definition, mode]);
  const keyColumn = definition.columns.find((c) => c.primary_key)?.name;
  const owned = definition.table_type !== 'shared';
  const needsOwner = owned && viewAs.kind === 'admin' && mode !== 'edit';
  const rowKey = mode === 'edit' ? source?.row.key : undefined;

  const [base, setBase] = useState(() => ({
    version: source?.version,
    /** The stored values at `version` (what an undo of the save writes back). */
    values: source?.row.values ?? {},
    form: rowFormValues(fields, source?.row.values, mode === 'clone' && definition.table_type !== 'stream' && keyColumn ? [keyColumn] : []),
  }));
  const [ownerAtStart] = useState(() => (needsOwner && typeof source?.row.values._user === 'string' ? source.row.values._user : ''));
  const [owner, setOwner] = useState(ownerAtStart);
  const [ownerError, setOwnerError] = useState<string | undefined>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState<Record<string, unknown> | undefined>();

  const resolver = useMemo<Resolver<FormValues, unknown, Record<string, unknown>>>(
    () => (form) => {
      const { values, errors } = rowValuesOf(fields, form, mode);
      if (Object.keys(errors).length === 0) return { values, errors: {} };
      const out: FieldErrors<FormValues> = {};
      for (const [name, message] of Object.entries(errors)) out[name] = { type: 'format', message };
      return { values: {}, errors: out };
    },
    [fields, mode],
  );
  const form = useForm<FormValues, unknown, Record<string, unknown>>({ defaultValues: base.form, resolver, mode: 'onTouched' });
  const { errors, isDirty } = form.formState;

  const current = useQuery(orpc.rows.get.queryOptions({ input: rowKey === undefined ? skipToken : { table, key: rowKey } }));
  const stale = mode === 'edit' && current.data !== undefined && base.version !== undefined && current.data.version !== base.version;

  const create = useMutation(orpc.rows.create.mutationOptions());
  const update = useMutation(orpc.rows.update.mutationOptions());
  const busy = create.isPending || update.isPending;

  function showErrors(error: unknown): void {
    // Owner problems name the input's `user` field: the owner picker shows them.
    const ownerOutside = needsOwner && !fields.some((f) => f.name === OWNER_FIELD);
    const mapped = mapSaveError(error, fields, keyColumn, ownerOutside ? [OWNER_FIELD] : []);
    const { [OWNER_FIELD]: ownerIssue, ...onFields } = mapped.fields;
    if (ownerOutside && ownerIssue !== undefined) setOwnerError(ownerIssue);
    for (const [name, message] of Object.entries(ownerOutside ? onFields : mapped.fields))
      form.setError(name, { type: 'server', message }, { shouldFocus: true });
    setFormErrors(mapped.form);
  }

  /** A saved row is a step of the table's edit history (stream rows excepted: they are appended, never made again by key). */
  function recordSaved(row: VersionedRow, values: Record<string, unknown>, replaced: VersionedRow | undefined, user: string | undefined): void {
    if (definition.table_type === 'stream') return;
    const as = asField(viewAs).as;
    if (mode === 'edit') {
      const stored = replaced?.row.values ?? base.values;
      const changed = Object.keys(values).filter((name) => !sameValue(stored[name] ?? null, values[name] ?? null));
      const pick = (from: Record<string, unknown>) => Object.fromEntries(changed.map((name) => [name, from[name] ?? null]));
      historyStore.record(table, {
        kind: 'written',
        label: `Edit row ${row.row.key}`,
        rows: changed.length > 0 ? [{ op: 'update', key: row.row.key, before: pick(stored), after: pick(values), version: row.version, as }] : [],
      });
    } else {
      historyStore.record(table, {
        kind: 'written',
        label: `${mode === 'clone' ? 'Clone' : 'Create'} row ${row.row.key}`,
        rows: [{ op: 'insert', key: row.row.key, values, user, version: row.version, as }],
      });
    }
  }

  async function save(values: Record<string, unknown>, overwrite = false, replaced?: VersionedRow): Promise<void> {
    setFormErrors([]);
    setOwnerError(undefined);
    try {
      let row: VersionedRow;
      if (mode === 'edit') {
        if (rowKey === undefined || base.version === undefined) return;
        row = await update.mutateAsync({ table, key: rowKey, values, version: base.version, ...(overwrite ? { overwrite: true } : {}) });
        recordSaved(row, values, replaced, undefined);
        setConflict(undefined);
        toast.show({ kind: 'success', message: `Saved row ${row.row.key}.` });
      } else {
        const user = needsOwner ? UserIdSchema.safeParse(owner) : undefined;
        if (user && !user.success) {
          setOwnerError('is required: choose the user the row belongs to');
          return;
        }
        row = await create.mutateAsync({ table, values, ...(user?.success ? { user: user.data } : {}) });
        recordSaved(row, values, undefined, user?.success ? user.data : undefined);
        toast.show({ kind: 'success', message: `Created row ${row.row.key}.` });
      }
      await invalidateTable(queryClient, table);
      onSaved(row, mode);
    } catch (e) {
      if (errorCode(e) === 'CONFLICT' && mode === 'edit') {
        setConflict(values);
        return;
      }
      if (errorCode(e) === 'NOT_FOUND' && mode === 'edit') setFormErrors(['This row no longer exists: it was deleted after you opened it.']);
      else showErrors(e);
    }
  }

  function reloadTheirs(latest: VersionedRow): void {
    const next = { version: latest.version, values: latest.row.values, form: rowFormValues(fields, latest.row.values) };
    setBase(next);
    form.reset(next.form);
    setConflict(undefined);
    toast.show({ kind: 'info', message: 'Loaded the stored row; your changes were discarded.' });
  }

  const { requestClose, prompt } = useDiscardGuard((isDirty || owner !== ownerAtStart) && !busy, onClose);
  const title = mode === 'create' ? `${TITLES.create} ${table}` : `${TITLES[mode]} ${source?.row.key ?? ''}`;
  return (
    <Dialog
      title={title}
      size="medium"
      onClose={requestClose}
      footer={
        prompt ?? (
          <DialogFooter onCancel={requestClose}>
            <SaveButton formId={formId} busy={busy} readOnly={readOnly} />
          </DialogFooter>
        )
      }
    >
      <ReadOnlyNotice readOnly={readOnly} consequence="changes cannot be saved." />
      {viewAs.kind !== 'admin' ? (
        <p className="muted break-anywhere">
          Saving as <strong>{describeViewAs(viewAs)}</strong>.
        </p>
      ) : null}
      {stale && !conflict ? (
        <Alert kind="warning">This row was changed by someone else after you opened it. Saving will let you choose whose values to keep.</Alert>
      ) : null}
      <FormErrors title="Not saved" messages={formErrors} />
      <form id={formId} className="entity-form" noValidate onSubmit={(e) => void form.handleSubmit((values) => save(values))(e)}>
        {needsOwner ? (
          <OwnerPicker
            value={owner}
            onChange={(userId) => {
              setOwner(userId);
              setOwnerError(undefined);
            }}
            error={ownerError}
            disabled={busy}
          />
        ) : null}
        {fields.map((field) => (
          <FieldInput
            key={field.name}
            field={field}
            register={form.register}
            control={form.control}
            error={errors[field.name]?.message}
            disabled={busy || (mode === 'edit' && field.column.primary_key)}
          />
        ))}
      </form>
      {source && mode === 'edit' ? <SystemColumns values={source.row.values} /> : null}
      {conflict && rowKey !== undefined ? (
        <ConflictDialog
          table={table}
          rowKey={rowKey}
          noun="row"
          fields={fields}
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
