import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { useEngineInfo } from './engine';
import { OverviewDashboard } from '../stats/OverviewDashboard';

/** The start page: what is open, where it lives, and the storage dashboard. */
export function Overview() {
  const info = useEngineInfo();

  return (
    <div className="view view--padded">
      <header className="view__header">
        <h1 className="view__title">Overview</h1>
      </header>
      {info.isError ? (
        <Alert kind="error" title="The engine did not answer">
          {errorMessage(info.error)}
        </Alert>
      ) : null}
      <OverviewDashboard />
      {info.data ? (
        <section className="card overview-engine" aria-labelledby="overview-engine">
          <h2 id="overview-engine" className="card__title">
            Engine
          </h2>
          <dl className="facts">
            <dt>Mode</dt>
            <dd>{info.data.mode === 'electron' ? 'Desktop app' : 'Local web mode'}</dd>
            <dt>Writes</dt>
            <dd>{info.data.readOnly ? 'Refused (read-only mode)' : 'Allowed'}</dd>
            <dt>Data directory</dt>
            <dd>
              <code>{info.data.dataDir}</code>
            </dd>
            <dt>Database</dt>
            <dd>
              <code>{info.data.databasePath}</code>
            </dd>
            <dt>Log</dt>
            <dd>
              <code>{info.data.logPath}</code>
            </dd>
            <dt>Schema version</dt>
            <dd>{info.data.schemaVersion}</dd>
            <dt>SQLite</dt>
            <dd>{info.data.sqliteVersion}</dd>
            <dt>App version</dt>
            <dd>{info.data.appVersion}</dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}
