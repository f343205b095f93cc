import { type ReactNode, useState } from 'react';
import { useUnloadWarning } from './use-unload-warning';

/**
 * A form dialog's guard against losing input: closing it while `dirty` asks "Discard your unsaved
 * changes?" (in place of its footer) instead of closing, and the window asks before a reload.
 */
export function useDiscardGuard(dirty: boolean, onClose: () => void): { requestClose: () => void; prompt: ReactNode } {
  const [asking, setAsking] = useState(false);
  useUnloadWarning(dirty);
  const requestClose = () => (dirty ? setAsking(true) : onClose());
  const prompt = asking ? (
    <div className="dialog__confirm" role="alert">
      <span>Discard your unsaved changes?</span>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Keep editing
      </button>
      <button type="button" className="button button--danger" onClick={onClose}>
        Discard
      </button>
    </div>
  ) : undefined;
  return { requestClose, prompt };
}
