import { skipToken, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { BackupSummary } from '../../../shared/contract';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { useEngineInfo } from '../app/engine';
import { useTableList } from '../namespaces/use-catalog';
import { pathProblem } from './folder-path';
import { formatTime } from './job-text';
import { useStartJob } from './use-jobs';
import { WithFolderDialog } from './WithFolderDialog';

function defaultBackupFolder(dataDir: string | undefined): string {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  return dataDir ? `${dataDir.replace(/[\\/]+$/, '')}/backups/backup-${stamp}` : '';
}

/** Picks a shared or user table and flushes it. */
export function FlushDialog({ onClose }: { onClose: () => void }) {
  const tables = useTableList();
  const flushable = (tables.data ?? []).filter((t) => t.kind === 'shared' || t.kind === 'user');
  const [table, setTable] = useState('');
  const { start, isPending } = useStartJob();
  const id = useId();
  const chosen = table || flushable[0]?.table || '';
  return (
    <Dialog
      title="Flush a table"
      onClose={onClose}
      size="small"
      footer={
        <DialogFooter onCancel={onClose}>
          <button
            type="button"
            className="button button--primary"
            disabled={!chosen || isPending}
            onClick={() => start({ type: 'flush', table: chosen }, onClose)}
          >
            Flush
          </button>
        </DialogFooter>
      }
    >
      <p className="dialog__note">
        Writes the table’s hot rows to Parquet files in its storage, then removes them from the hot store. Browsing looks the same afterwards.
      </p>
      {tables.isError ? <Alert kind="error">{errorMessage(tables.error)}</Alert> : null}
      {tables.data && flushable.length === 0 ? <Alert kind="info">There are no shared or user tables to flush.</Alert> : null}
      {flushable.length > 0 ? (
        <label className="field" htmlFor={id}>
          <span className="field__label">Table</span>
          <select id={id} className="select" value={chosen} onChange={(e) => setTable(e.target.value)}>
            {flushable.map((t) => (
              <option key={t.table} value={t.table}>
                {t.table} ({t.kind})
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </Dialog>
  );
}

/**
 * Backs up into a folder: a path field, with the native folder dialog next to it in Electron
 * (through host.pickFolder; the preload stays empty).
 */
export function BackupDialog({ onClose }: { onClose: () => void }) {
  const info = useEngineInfo();
  const [folder, setFolder] = useState<string | undefined>(undefined);
  const value = folder ?? defaultBackupFolder(info.data?.dataDir);
  const [touched, setTouched] = useState(false);
  const problem = pathProblem(value);
  const { start, isPending } = useStartJob();
  const id = useId();
  return (
    <Dialog
      title="Back up the database"
      onClose={onClose}
      footer={
        <DialogFooter onCancel={onClose}>
          <button
            type="button"
            className="button button--primary"
            disabled={isPending}
            onClick={() => {
              setTouched(true);
              if (!problem) start({ type: 'backup', folder: value.trim() }, onClose);
            }}
          >
            Back up
          </button>
        </DialogFooter>
      }
    >
      <p className="dialog__note">
        A consistent snapshot of the database and every storage’s files, with a manifest of checksums, into a new folder on this machine.
      </p>
      <WithFolderDialog purpose="backup" current={value} onPicked={setFolder}>
        <label className="field" htmlFor={id}>
          <span className="field__label">Backup folder (absolute path; must not exist yet, or be empty)</span>
          <input
            id={id}
            className="input input--code"
            value={value}
            spellCheck={false}
            aria-invalid={touched && problem ? true : undefined}
            aria-describedby={touched && problem ? `${id}-error` : undefined}
            onChange={(e) => setFolder(e.target.value)}
          />
        </label>
      </WithFolderDialog>
      {touched && problem ? (
        <p id={`${id}-error`} className="field__error">
          {problem}
        </p>
      ) : null}
    </Dialog>
  );
}

function SummaryFacts({ summary }: { summary: BackupSummary }) {
  const rows = summary.tables.filter((t) => t.type !== 'system').reduce((a, t) => a + t.hot_rows + t.cold_rows, 0);
  return (
    <div className="backup-summary">
      <dl className="facts">
        <dt>Taken</dt>
        <dd>{formatTime(summary.createdAt)}</dd>
        <dt>App version</dt>
        <dd>{summary.appVersion}</dd>
        <dt>Schema version</dt>
        <dd>{summary.schemaVersion}</dd>
        <dt>Files</dt>
        <dd>
          {summary.files.toLocaleString('en-US')} ({(summary.bytes / 1024 / 1024).toFixed(1)} MB)
        </dd>
        <dt>Data rows</dt>
        <dd>{rows.toLocaleString('en-US')}</dd>
      </dl>
      <div className="table-wrap table-wrap--scroll backup-summary__tables">
        <table className="data-table data-table--compact">
          <caption className="visually-hidden">Rows per table in the backup</caption>
          <thead>
            <tr>
              <th scope="col">Table</th>
              <th scope="col">Type</th>
              <th scope="col">Hot rows</th>
              <th scope="col">Flushed rows</th>
            </tr>
          </thead>
          <tbody>
            {summary.tables.map((t) => (
              <tr key={t.table}>
                <td>{t.table}</td>
                <td>{t.type}</td>
                <td>{t.hot_rows.toLocaleString('en-US')}</td>
                <td>{t.cold_rows.toLocaleString('en-US')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Checks a backup folder, shows its manifest, and restores it after confirmation. */
export function RestoreDialog({ onClose }: { onClose: () => void }) {
  const [folder, setFolder] = useState('');
  const [checked, setChecked] = useState<string | undefined>(undefined);
  const [allowForeign, setAllowForeign] = useState(false);
  const problem = pathProblem(folder);
  // Nothing is cached (gcTime 0): a folder checked again is read again, since its files may have
  // changed in between; an earlier summary must never stand in for a failed check.
  const summary = useQuery(
    orpc.jobs.backupSummary.queryOptions({
      input: checked !== undefined ? { folder: checked, ...(allowForeign ? { allow_foreign: true } : {}) } : skipToken,
      retry: false,
      gcTime: 0,
    }),
  );
  const { start, isPending } = useStartJob();
  const id = useId();
  const ready = summary.isSuccess && checked === folder.trim();
  return (
    <Dialog
      title="Restore a backup"
      onClose={onClose}
      size="large"
      role={ready ? 'alertdialog' : 'dialog'}
      footer={
        <DialogFooter onCancel={onClose}>
          {ready ? (
            <button
              type="button"
              className="button button--danger"
              disabled={isPending}
              onClick={() => start({ type: 'restore', folder: checked, ...(allowForeign ? { allow_foreign: true } : {}) }, onClose)}
            >
              Replace all data with this backup
            </button>
          ) : (
            <button
              type="button"
              className="button button--primary"
              disabled={problem !== undefined || summary.isFetching}
              onClick={() => setChecked(folder.trim())}
            >
              Check backup
            </button>
          )}
        </DialogFooter>
      }
    >
      <p className="dialog__note">
        Restoring replaces every table’s rows and files with the backup’s. Every checksum is verified first; a corrupt, truncated or foreign backup is refused
        and nothing changes.
      </p>
      <WithFolderDialog
        purpose="restore"
        current={folder}
        onPicked={(picked) => {
          setFolder(picked);
          setChecked(undefined);
        }}
      >
        <label className="field" htmlFor={id}>
          <span className="field__label">Backup folder (absolute path)</span>
          <input
            id={id}
            className="input input--code"
            value={folder}
            spellCheck={false}
            onChange={(e) => {
              setFolder(e.target.value);
              setChecked(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !problem) setChecked(folder.trim());
            }}
          />
        </label>
      </WithFolderDialog>
      <label className="checkbox">
        <input type="checkbox" checked={allowForeign} onChange={(e) => setAllowForeign(e.target.checked)} />
        Allow a backup of another database (its identity is taken over)
      </label>
      {checked !== undefined && summary.isFetching ? (
        <p className="muted" role="status">
          Checking the backup…
        </p>
      ) : null}
      {checked !== undefined && summary.isError ? (
        <Alert kind="error" title="This backup cannot be restored">
          {errorMessage(summary.error)}
        </Alert>
      ) : null}
      {ready && summary.data ? (
        <>
          <Alert kind="warning" title="Replace the current data?">
            Every table will show the backup’s rows from {formatTime(summary.data.createdAt)}. Changes made since then are lost. Open views reload when it is
            done.
          </Alert>
          <SummaryFacts summary={summary.data} />
        </>
      ) : null}
    </Dialog>
  );
}
