import { useMemo, useState } from 'react';
import type { BackupSummary, RestoreStorage } from '../../../shared/jobs/backup-summary';
import type { JobProgress } from '../../../shared/system/jobs';
import { errorMessage } from '../api/errors';
import { formatBytes } from '../indexes/format';
import { Alert } from '../components/Alert';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { PathField } from '../components/PathField';
import { useEngineInfo } from '../app/engine';
import { useTableList } from '../namespaces/use-catalog';
import { pathProblem } from './folder-path';
import { useJobFailureToast } from './job-outcome';
import { ProgressBar } from './JobProgressBar';
import { formatTime } from './job-text';
import { useBackupCheck } from './use-backup-check';
import { TablePicker } from './TablePicker';
import { useFolderPicker } from './use-folder-picker';
import { useStartJob } from './use-jobs';

function defaultBackupFolder(dataDir: string | undefined): string {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  return dataDir ? `${dataDir.replace(/[\\/]+$/, '')}/backups/backup-${stamp}` : '';
}

/** The jobs that take one table, as their dialogs say them. */
const TABLE_JOBS = {
  flush: {
    title: 'Flush a table',
    action: 'Flush',
    note: 'Writes the table’s hot rows to Parquet files in its storage, then removes them from the hot store. Browsing looks the same afterwards.',
    none: 'There are no shared or user tables to flush.',
  },
  compact: {
    title: 'Compact a table',
    action: 'Compact',
    note: 'Merges each scope’s Parquet files of the table into one, for faster reads. The rows do not change.',
    none: 'There are no shared or user tables to compact.',
  },
} as const;

/** Picks a shared or user table (stream tables have no Parquet files) and flushes or compacts it. */
export function TableJobDialog({ job, onClose }: { job: keyof typeof TABLE_JOBS; onClose: () => void }) {
  const text = TABLE_JOBS[job];
  const tables = useTableList();
  const eligible = useMemo(() => (tables.data ?? []).filter((t) => t.kind === 'shared' || t.kind === 'user'), [tables.data]);
  const [table, setTable] = useState<string | undefined>(undefined);
  const { start, isPending } = useStartJob();
  const chosen = table ?? eligible[0]?.table ?? '';
  const run = () => {
    if (chosen && !isPending) start({ type: job, table: chosen }, onClose);
  };
  return (
    <Dialog
      title={text.title}
      onClose={onClose}
      size="small"
      footer={
        <DialogFooter onCancel={onClose}>
          <button type="button" className="button button--primary" disabled={!chosen || isPending} onClick={run}>
            {text.action}
          </button>
        </DialogFooter>
      }
    >
      <p className="dialog__note">{text.note}</p>
      {tables.isError ? <Alert kind="error">{errorMessage(tables.error)}</Alert> : null}
      {tables.data && eligible.length === 0 ? <Alert kind="info">{text.none}</Alert> : null}
      {eligible.length > 0 ? <TablePicker tables={eligible} value={chosen} onChange={setTable} onSubmit={run} /> : null}
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
  const chooser = useFolderPicker('backup');
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
      <PathField
        label="Backup folder (absolute path; must not exist yet, or be empty)"
        value={value}
        onChange={setFolder}
        error={touched ? problem : undefined}
        chooser={chooser}
      />
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

const CHECK_PHASES: Record<string, string> = {
  verifying: 'Verifying checksums',
  checking: 'Checking the database',
  'checking files': 'Checking storage files',
};

/** The check's progress, in words: "Verifying checksums: 12.0 of 40.0 MB". */
function checkLabel(progress: JobProgress | null): string {
  if (!progress) return 'Reading the manifest';
  const phase = CHECK_PHASES[progress.phase] ?? progress.phase;
  if (progress.total === null) return phase;
  return progress.phase === 'verifying'
    ? `${phase}: ${formatBytes(progress.done)} of ${formatBytes(progress.total)}`
    : `${phase}: ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')}`;
}

/**
 * Where each storage's files go. A folder outside the data directory that is a storage folder of
 * this database is used only once the user ticks it; every other one is confined to the data
 * directory, with the reason.
 */
function StorageDestinations({
  storages,
  confirmed,
  onConfirm,
}: {
  storages: readonly RestoreStorage[];
  confirmed: ReadonlySet<string>;
  onConfirm: (directory: string, on: boolean) => void;
}) {
  return (
    <fieldset className="backup-summary__storages">
      <legend>Where the storage files go</legend>
      <ul>
        {storages.map((s) => (
          <li key={s.storage_id}>
            <strong>{s.storage_id}</strong>: {s.files.toLocaleString('en-US')} {s.files === 1 ? 'file' : 'files'} ({formatBytes(s.bytes)}) into{' '}
            <code>{s.confirmable && confirmed.has(s.backup_directory) ? s.backup_directory : s.directory}</code>
            {s.reason !== null ? <p className="muted">{s.reason}</p> : null}
            {s.confirmable ? (
              <label className="checkbox">
                <input type="checkbox" checked={confirmed.has(s.backup_directory)} onChange={(e) => onConfirm(s.backup_directory, e.target.checked)} />
                Restore its files into {s.backup_directory}
              </label>
            ) : null}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/**
 * Checks a backup folder (every checksum, with progress), shows its summary and where its files
 * go, and restores it after confirmation. A restore that fails later says why in a toast.
 */
export function RestoreDialog({ onClose }: { onClose: () => void }) {
  const [folder, setFolder] = useState('');
  const [allowForeign, setAllowForeign] = useState(false);
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const problem = pathProblem(folder);
  const check = useBackupCheck();
  const { start, isPending } = useStartJob();
  const toastFailure = useJobFailureToast();
  const chooser = useFolderPicker('restore');
  const summary = check.summary;
  // A summary stands only for the folder and option it was checked with; editing either asks for a new check.
  const ready = summary !== undefined && !check.isChecking;
  const changeFolder = (next: string) => {
    setFolder(next);
    setConfirmed(new Set());
    check.reset();
  };
  const runCheck = () => {
    if (problem !== undefined) return;
    setConfirmed(new Set());
    check.check({ folder: folder.trim(), ...(allowForeign ? { allow_foreign: true } : {}) });
  };
  return (
    <Dialog
      title="Restore a backup"
      onClose={onClose}
      size="large"
      role={ready ? 'alertdialog' : 'dialog'}
      footer={
        <DialogFooter onCancel={onClose}>
          {ready && summary ? (
            <button
              type="button"
              className="button button--danger"
              disabled={isPending}
              onClick={() =>
                start(
                  {
                    type: 'restore',
                    folder: summary.folder,
                    ...(check.input?.allow_foreign ? { allow_foreign: true } : {}),
                    ...(confirmed.size > 0 ? { confirmed_directories: [...confirmed] } : {}),
                  },
                  (jobs) => {
                    for (const job of jobs) toastFailure(job);
                    onClose();
                  },
                )
              }
            >
              Replace all data with this backup
            </button>
          ) : (
            <button type="button" className="button button--primary" disabled={problem !== undefined || check.isChecking} onClick={runCheck}>
              Check backup
            </button>
          )}
        </DialogFooter>
      }
    >
      <p className="dialog__note">
        Restoring replaces every table’s rows and files with the backup’s. The check verifies every checksum, the database and every storage file first; a
        corrupt, truncated, foreign or unsafe backup is refused and nothing changes.
      </p>
      <PathField label="Backup folder (absolute path)" value={folder} onChange={changeFolder} onEnter={runCheck} chooser={chooser} />
      <label className="checkbox">
        <input
          type="checkbox"
          checked={allowForeign}
          onChange={(e) => {
            setAllowForeign(e.target.checked);
            check.reset();
          }}
        />
        Allow a backup of another database (its identity is taken over)
      </label>
      {check.isChecking ? (
        <div role="status" aria-live="polite">
          <p className="muted">Checking the backup…</p>
          <ProgressBar progress={check.progress} name="Progress of the backup check" label={checkLabel(check.progress)} />
        </div>
      ) : null}
      {check.error && !check.isChecking ? (
        <Alert kind="error" title="This backup cannot be restored">
          {errorMessage(check.error)}
        </Alert>
      ) : null}
      {ready && summary ? (
        <>
          <Alert kind="warning" title="Replace the current data?">
            Every table will show the backup’s rows from {formatTime(summary.createdAt)}. Changes made since then are lost. Open views reload when it is done.
          </Alert>
          <SummaryFacts summary={summary} />
          {summary.storages.length > 0 ? (
            <StorageDestinations
              storages={summary.storages}
              confirmed={confirmed}
              onConfirm={(directory, on) =>
                setConfirmed((all) => {
                  const next = new Set(all);
                  if (on) next.add(directory);
                  else next.delete(directory);
                  return next;
                })
              }
            />
          ) : null}
        </>
      ) : null}
    </Dialog>
  );
}
