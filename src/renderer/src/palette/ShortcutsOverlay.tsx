import { Dialog } from '../components/Dialog';
import { SHORTCUTS } from './shortcuts';

/** `?`: every keyboard shortcut, where it works. */
export function ShortcutsOverlay({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} size="medium">
      {/* Scrolls on its own (and takes focus for it) when the window is short. */}
      <div className="shortcuts" tabIndex={0} role="region" aria-label="Shortcuts">
        <table className="data-table">
          <caption className="visually-hidden">Keyboard shortcuts</caption>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">What they do</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.what}</td>
                <td>{s.where}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
