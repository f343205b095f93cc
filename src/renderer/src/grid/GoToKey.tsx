import { useState } from 'react';

interface GoToKeyProps {
  keyLabel: string;
  /** The anchor the rows start at, if any. */
  seek: string | undefined;
  /** Set when the app went to the key itself (a row just created there). */
  reason: 'created' | undefined;
  /** No row has exactly the key: the rows start at the next one. */
  missed: boolean;
  onSeek: (key: string | undefined) => void;
}

/**
 * "Go to key": shows the page that starts at a key (or the next one after it). The anchor, once
 * set, stays visible beside the box, with why it is there and the way back to the start.
 */
export function GoToKey({ keyLabel, seek, reason, missed, onSeek }: GoToKeyProps) {
  const [text, setText] = useState('');
  return (
    <div className="go-to-key">
      <form
        className="go-to-key__form"
        role="search"
        aria-label="Go to key"
        onSubmit={(e) => {
          e.preventDefault();
          const key = text.trim();
          onSeek(key === '' ? undefined : key);
        }}
      >
        <label className="go-to-key__label">
          <span className="visually-hidden">Go to key</span>
          <input className="input input--compact" type="search" placeholder={`Go to ${keyLabel}…`} value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" className="button button--small">
          Go
        </button>
      </form>
      {seek !== undefined ? (
        <span className="chip chip--anchor" role="status" aria-label="Go to key anchor">
          <span>
            {missed ? (
              <>No row with key “{seek}”; showing the next one</>
            ) : (
              <>
                From key “{seek}”{reason === 'created' ? ', the row you created' : ''}
              </>
            )}
          </span>
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => {
              setText('');
              onSeek(undefined);
            }}
          >
            Back to start
          </button>
        </span>
      ) : null}
    </div>
  );
}
