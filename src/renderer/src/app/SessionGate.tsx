import { type ReactNode, useSyncExternalStore } from 'react';
import { LAUNCH_LINE_EXAMPLE } from '../../../shared/web-session';
import { webSession } from '../api/client';
import type { WebSessionState } from '../api/web-session';

const noSession = (): (() => void) => () => undefined;
const active = (): WebSessionState => 'active';

/** The web session's state; always `active` in Electron, which has no token. */
export function useWebSessionState(): WebSessionState {
  return useSyncExternalStore(webSession?.subscribe ?? noSession, webSession?.state ?? active);
}

/**
 * Renders the app while the web session is active; otherwise a page that says why it cannot
 * work and where the address to open is. A reload after a restart lands here too (the old token
 * is still in this tab's sessionStorage and the server refuses it).
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const state = useWebSessionState();
  if (state === 'active') return children;
  return (
    <main className="session-ended" aria-labelledby="session-ended-title">
      <h1 id="session-ended-title" className="session-ended__title">
        {state === 'expired' ? 'Kalam Studio was restarted' : 'Open the address Kalam Studio printed'}
      </h1>
      {state === 'expired' ? (
        <p>This page belongs to its previous run: its access token is no longer valid.</p>
      ) : (
        <p>This page was opened without its access token (it comes with the address Kalam Studio prints at start).</p>
      )}
      <p>
        The new address is in the terminal where Kalam Studio runs, on the line <code>{LAUNCH_LINE_EXAMPLE}</code>. Open it in this browser.
      </p>
    </main>
  );
}
