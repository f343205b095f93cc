import { useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import type { DataDirEntry } from '../../../shared/contract';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { PathField } from '../components/PathField';
import { useEngineInfo } from '../app/engine';
import { readOnlyReason } from '../app/gates';
import { pathProblem } from '../jobs/folder-path';
import { useFolderPicker } from '../jobs/use-folder-picker';
import { AS_OPERATOR } from '../view-as/view-as-store';
import { requestDataDirSwitch } from './switch-request';

/** The recent directories and what is open: as the operator (it guards the whole process). */
export function useDataDirs() {
  return useQuery(orpc.dataDirs.list.queryOptions({ input: AS_OPERATOR }));
}

function formatOpened(at: number | null): string {
  return at === null ? '' : new Date(at).toLocaleString();
}

/** A path field with the native folder dialog beside it (Electron) and its own submit button. */
function PathForm({
  label,
  purpose,
  submit,
  disabledReason,
  extra,
  onSubmit,
}: {
  label: string;
  purpose: 'dataDir' | 'newDataDir';
  submit: string;
  disabledReason?: string | undefined;
  extra?: ReactNode;
  onSubmit: (path: string) => void;
}) {
  const [path, setPath] = useState('');
  const [touched, setTouched] = useState(false);
  const chooser = useFolderPicker(purpose);
  const problem = pathProblem(path);
  const handle = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!problem) onSubmit(path.trim());
  };
  return (
    <form className="start-page__form" onSubmit={handle} noValidate>
      <PathField label={label} value={path} onChange={setPath} error={touched ? problem : undefined} placeholder="/absolute/path" chooser={chooser} />
      {extra}
      <div>
        <button type="submit" className="button button--primary" disabled={disabledReason !== undefined} title={disabledReason}>
          {submit}
        </button>
      </div>
    </form>
  );
}

function RecentList({ recent }: { recent: readonly DataDirEntry[] }) {
  if (recent.length === 0) return <p className="muted">No other data directory was opened from the app yet.</p>;
  return (
    <ul className="start-page__recent" aria-label="Recent data directories">
      {recent.map((entry) => (
        <li key={entry.path} className="start-page__recent-item">
          <span className="start-page__recent-name" title={entry.path}>
            {entry.name}
          </span>
          <code className="start-page__recent-path">{entry.path}</code>
          <span className="muted">{formatOpened(entry.openedAt)}</span>
          {entry.current ? (
            <span className="badge">Open now</span>
          ) : (
            <button
              type="button"
              className="button button--small"
              disabled={!entry.available}
              title={entry.available ? entry.path : 'It no longer holds a database (moved or deleted)'}
              onClick={() => requestDataDirSwitch({ kind: 'open', path: entry.path })}
              aria-label={`Open ${entry.name}`}
            >
              Open
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * The start page (#/start): which data directory is open, the recent ones, and opening another or
 * a new, empty one (with the demo or not). A path field in both modes, and the native folder
 * dialog beside it in the desktop app.
 */
export function StartPage() {
  const info = useEngineInfo();
  const dirs = useDataDirs();
  const [demo, setDemo] = useState(true);
  const noSwitch = dirs.data && !dirs.data.canSwitch ? 'This process cannot switch its data directory' : undefined;
  const readOnly = info.data?.readOnly ? `${readOnlyReason(info.data) ?? 'Read-only mode is on'}: a new directory would write a database` : undefined;

  return (
    <div className="view view--padded start-page">
      <header className="view__header">
        <h1 className="view__title">Data directories</h1>
      </header>
      {dirs.isError ? (
        <Alert kind="error" title="The data directories could not be listed">
          {errorMessage(dirs.error)}
        </Alert>
      ) : null}
      {dirs.data ? (
        <section className="card" aria-labelledby="start-current">
          <h2 id="start-current" className="card__title">
            Open now
          </h2>
          <p>
            <strong title={dirs.data.current.path}>{dirs.data.current.name}</strong> <code>{dirs.data.current.path}</code>
          </p>
        </section>
      ) : null}
      <section className="card" aria-labelledby="start-recent">
        <h2 id="start-recent" className="card__title">
          Recent
        </h2>
        {dirs.data ? <RecentList recent={dirs.data.recent} /> : <p className="muted">Loading…</p>}
      </section>
      <section className="card" aria-labelledby="start-open">
        <h2 id="start-open" className="card__title">
          Open data directory
        </h2>
        <p className="muted">
          A folder holding a Kalam Studio database (kalam.sqlite). This one is closed first: its jobs finish or are cancelled, its lock is released.
        </p>
        <PathForm
          label="Data directory (absolute path)"
          purpose="dataDir"
          submit="Open"
          disabledReason={noSwitch}
          onSubmit={(path) => requestDataDirSwitch({ kind: 'open', path })}
        />
      </section>
      <section className="card" aria-labelledby="start-new">
        <h2 id="start-new" className="card__title">
          New empty directory
        </h2>
        <p className="muted">A new folder (its parent must exist) or an empty one becomes a new data directory, opened at once.</p>
        <PathForm
          label="New data directory (absolute path)"
          purpose="newDataDir"
          submit="Create and open"
          disabledReason={noSwitch ?? readOnly}
          extra={
            <label className="checkbox">
              <input type="checkbox" checked={demo} onChange={(e) => setDemo(e.target.checked)} /> Add the demo data (a demo namespace, three users and their
              rows)
            </label>
          }
          onSubmit={(path) => requestDataDirSwitch({ kind: 'create', path, demo })}
        />
      </section>
    </div>
  );
}
