import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { errorCode, errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import type { VersionedRow } from '../../../shared/contract';
import { compactJson } from '../grid/cell-format';
import type { FieldSpec } from './form-fields';
import { changedFields, type SubmitValues } from './form-values';

interface ConflictDialogProps {
  table: string;
  rowKey: string;
  noun: string;
  fields: readonly FieldSpec[];
  mine: SubmitValues;
  /** Discard my changes and continue from the stored row. */
  onReload: (latest: VersionedRow) => void;
  /** Save my values over theirs (the stored row they replace is passed along, for Undo). */
  onOverwrite: (replaced: VersionedRow | undefined) => void;
  onCancel: () => void;
  busy: boolean;
}

const show = (v: unknown) => (v === undefined ? '—' : v === null ? 'null' : typeof v === 'string' ? v : compactJson(v));

/** Someone else saved the row after it was opened: compare, then reload theirs or overwrite with mine. */
export function ConflictDialog({ table, rowKey, noun, fields, mine, onReload, onOverwrite, onCancel, busy }: ConflictDialogProps) {
  const latest = useQuery({ ...orpc.rows.get.queryOptions({ input: { table, key: rowKey } }), staleTime: 0 });
  const deleted = latest.isError && errorCode(latest.error) === 'NOT_FOUND';
  const diff = latest.data ? changedFields(fields, mine, latest.data.row.values) : [];

  return (
    <Dialog
      title="Changed by someone else"
      role="alertdialog"
      size="large"
      onClose={onCancel}
      description={
        <p>
          This {noun} (<code>{rowKey}</code>) was saved by someone else after you opened it. Nothing has been overwritten. Choose whose values to keep.
        </p>
      }
      footer={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Keep editing
          </button>
          <button type="button" className="button" disabled={!latest.data || busy} onClick={() => latest.data && onReload(latest.data)}>
            Reload
          </button>
          <button type="button" className="button button--danger" disabled={deleted || busy || latest.isPending} onClick={() => onOverwrite(latest.data)}>
            Overwrite
          </button>
        </>
      }
    >
      {latest.isPending ? <p className="muted">Loading the stored version…</p> : null}
      {deleted ? <Alert kind="warning">The {noun} has been deleted meanwhile; it can no longer be saved.</Alert> : null}
      {latest.isError && !deleted ? <Alert kind="error">{errorMessage(latest.error)}</Alert> : null}
      {latest.data ? (
        diff.length === 0 ? (
          <p>The fields you edit hold the same values in both versions; other fields changed.</p>
        ) : (
          <table className="diff-table">
            <caption className="visually-hidden">Fields that differ</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Your value</th>
                <th scope="col">Stored value</th>
              </tr>
            </thead>
            <tbody>
              {diff.map((name) => (
                <tr key={name}>
                  <th scope="row">{fields.find((f) => f.name === name)?.label ?? name}</th>
                  <td>
                    <code>{show(mine[name])}</code>
                  </td>
                  <td>
                    <code>{show(latest.data.row.values[name])}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      <p className="muted dialog__note">
        <strong>Reload</strong> discards your changes and loads the stored values. <strong>Overwrite</strong> saves your values over theirs.
      </p>
    </Dialog>
  );
}
