import { useState } from 'react';

interface GoToKeyProps {
  keyLabel: string;
  seek: string | undefined;
  onSeek: (key: string | undefined) => void;
}

/** "Go to key": shows the page that starts at a key (or the next one after it). */
export function GoToKey({ keyLabel, seek, onSeek }: GoToKeyProps) {
  const [text, setText] = useState(seek ?? '');
  return (
    <form
      className="go-to-key"
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
      {seek !== undefined ? (
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
      ) : null}
    </form>
  );
}
