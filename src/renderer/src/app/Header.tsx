import { useEffect } from 'react';
import { dataDirName } from '../../../shared/data-dir-name';
import { errorMessage } from '../api/errors';
import { Switch } from '../components/Switch';
import { useToast } from '../components/toast-context';
import { JobsIndicator } from '../jobs/JobsIndicator';
import { IS_MAC, MOD } from '../palette/shortcuts';
import { ViewAsPicker } from '../view-as/ViewAsPicker';
import { AS_OPERATOR } from '../view-as/view-as-store';
import { useEngineInfo, useSetReadOnly } from './engine';
import { readOnlyReason } from './gates';
import type { LiveState } from './live-events';
import { type ThemePreference, useTheme } from './theme';

const LIVE_LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reconnecting',
  stopped: 'Not answering',
};

export function Header({ live, onPalette }: { live: LiveState; onPalette: () => void }) {
  const info = useEngineInfo();
  const setReadOnly = useSetReadOnly();
  const toast = useToast();
  const [theme, setTheme] = useTheme();
  const dataDir = info.data?.dataDir;
  // The window's title (Electron follows the page's) says which data directory is open.
  useEffect(() => {
    document.title = dataDir === undefined ? 'Kalam Studio' : `${dataDirName(dataDir)} — Kalam Studio`;
  }, [dataDir]);

  return (
    <header className="header">
      <div className="header__brand">
        <span className="header__logo" aria-hidden="true">
          K
        </span>
        <span className="header__name">Kalam Studio</span>
      </div>

      <div className="header__status" aria-label="Engine status" role="group">
        {info.data ? (
          <>
            <span className="badge" title={`Running as ${info.data.mode === 'electron' ? 'the desktop app' : 'the local web mode'}`}>
              {info.data.mode === 'electron' ? 'Desktop' : 'Web'}
            </span>
            <a className="header__datadir" href="#/start" title={info.data.dataDir}>
              <span className="header__datadir-label">Data</span> <code>{dataDirName(info.data.dataDir)}</code>
            </a>
            {info.data.readOnly ? (
              <span className="badge badge--warning" title={readOnlyReason(info.data)}>
                {info.data.readOnlyLocked ? 'Read-only (locked)' : 'Read-only'}
              </span>
            ) : null}
          </>
        ) : info.isError ? (
          <span className="header__error" role="alert">
            Engine unavailable: {errorMessage(info.error)}
          </span>
        ) : (
          <span className="header__muted">Connecting to the engine…</span>
        )}
        <span className={`live live--${live}`} role="status">
          <span className="live__dot" aria-hidden="true" />
          {LIVE_LABELS[live]}
        </span>
      </div>

      <div className="header__actions">
        <button type="button" className="button button--small header__palette" onClick={onPalette} aria-keyshortcuts={IS_MAC ? 'Meta+K' : 'Control+K'}>
          <span>Go to…</span> <kbd aria-hidden="true">{MOD}+K</kbd>
        </button>
        <JobsIndicator />
        <ViewAsPicker />
        <Switch
          label={info.data?.readOnlyLocked ? 'Read-only (locked)' : 'Read-only'}
          checked={info.data?.readOnly ?? false}
          disabled={!info.data || info.data.readOnlyLocked || setReadOnly.isPending}
          description={
            info.data?.readOnlyLocked
              ? `${readOnlyReason(info.data)}: restart without --read-only to make changes`
              : 'When on, the engine refuses every write (recorded in system.audit_log)'
          }
          onChange={(readOnly) =>
            setReadOnly.mutate(
              // The operator's switch, whoever the window views as (view-as/view-as-store.ts).
              { readOnly, ...AS_OPERATOR },
              {
                onSuccess: (next) =>
                  toast.show({ kind: 'info', message: next.readOnly ? 'Read-only mode is on: writes are refused.' : 'Read-only mode is off.' }),
                onError: (e) => toast.error(e, 'Could not change read-only mode'),
              },
            )
          }
        />
        <label className="header__theme">
          <span className="visually-hidden">Theme</span>
          <select className="select select--compact" value={theme} onChange={(e) => setTheme(e.target.value as ThemePreference)}>
            <option value="system">System theme</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </div>
    </header>
  );
}
