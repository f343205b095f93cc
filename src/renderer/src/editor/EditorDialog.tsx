import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import type { VersionedRow } from '../../../shared/contract';
import type { EditableTable } from './editable';
import { type EditorMode, EntityFormDialog } from './EntityFormDialog';

export type EditorRequest = { mode: 'create' } | { mode: 'edit' | 'clone'; key: string };

interface EditorDialogProps {
  editable: EditableTable;
  request: EditorRequest;
  readOnly: boolean;
  onClose: () => void;
  onSaved: (row: VersionedRow, mode: EditorMode) => void;
}

/** Opens the form: for edit and clone, first loads the stored row (and, for edit, its version). */
export function EditorDialog({ editable, request, readOnly, onClose, onSaved }: EditorDialogProps) {
  if (request.mode === 'create') {
    return <EntityFormDialog editable={editable} mode="create" readOnly={readOnly} onClose={onClose} onSaved={(row) => onSaved(row, 'create')} />;
  }
  return <LoadedEditor editable={editable} mode={request.mode} rowKey={request.key} readOnly={readOnly} onClose={onClose} onSaved={onSaved} />;
}

function LoadedEditor({ editable, mode, rowKey, readOnly, onClose, onSaved }: Omit<EditorDialogProps, 'request'> & { mode: 'edit' | 'clone'; rowKey: string }) {
  // Always the stored row, not a cached one: the version must be the one being edited.
  const row = useQuery({ ...orpc.rows.get.queryOptions({ input: { table: editable.table, key: rowKey } }), staleTime: 0, refetchOnMount: 'always' });
  // Held once loaded: later refetches (live updates) must not reset a form being edited.
  const [source, setSource] = useState<VersionedRow | undefined>();
  if (source === undefined && row.data !== undefined && !row.isFetching) setSource(row.data);
  if (source) {
    return <EntityFormDialog editable={editable} mode={mode} source={source} readOnly={readOnly} onClose={onClose} onSaved={(r) => onSaved(r, mode)} />;
  }
  return (
    <Dialog title={`${mode === 'edit' ? 'Edit' : 'Clone'} ${editable.noun} ${rowKey}`} onClose={onClose}>
      {row.isError ? <Alert kind="error">{errorMessage(row.error)}</Alert> : <p className="muted">Loading…</p>}
    </Dialog>
  );
}
