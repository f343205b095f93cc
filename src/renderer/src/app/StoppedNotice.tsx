import { LAUNCH_LINE_EXAMPLE } from '../../../shared/web-session';
import { webSession } from '../api/client';

/**
 * Shown while the engine does not answer at all (live state `stopped`). In web mode a restart
 * usually means a new port, so this page cannot find the new server by itself: say where the new
 * address is. If the server comes back at this address, its first answer (401) ends the session
 * and SessionGate takes over.
 */
export function StoppedNotice() {
  return (
    <div className="stopped-notice" role="alert">
      <strong>Kalam Studio is not answering: it was stopped or restarted.</strong>{' '}
      {webSession === null ? (
        'Start it again.'
      ) : (
        <>
          When it runs again, its new address is in the terminal where it runs, on the line <code>{LAUNCH_LINE_EXAMPLE}</code>.
        </>
      )}
    </div>
  );
}
