import { useEffect, useState } from 'react';
import type { ColumnInfo, QuickSearch as Search } from '../../../shared/browse';

/** Typing pauses this long before the search runs: one request per word, not per key. */
const PAUSE_MS = 250;

interface QuickSearchProps {
  /** The visible text columns: those the search looks in. */
  columns: readonly ColumnInfo[];
  onSearch: (search: Search | undefined) => void;
  /** The text of the search in force when the box shows (a tab's kept view). */
  initial?: string | undefined;
}

/**
 * A search across the visible text columns (`/` focuses it): the engine keeps the rows where any
 * of them contains the text, in any letter case, together with the filters. Escape clears it.
 */
export function QuickSearch({ columns, onSearch, initial }: QuickSearchProps) {
  const [text, setText] = useState(initial ?? '');
  const names = columns.map((c) => c.name).join('\n');
  useEffect(() => {
    const timer = setTimeout(() => {
      const trimmed = text.trim();
      onSearch(trimmed === '' || names === '' ? undefined : { text: trimmed, columns: names.split('\n') });
    }, PAUSE_MS);
    return () => clearTimeout(timer);
    // onSearch only dispatches: the search runs again when the text or the columns change.
  }, [text, names]);
  const none = columns.length === 0;
  return (
    <input
      className="input input--compact quick-search"
      type="search"
      aria-label="Quick search"
      aria-keyshortcuts="/"
      placeholder={none ? 'No text columns shown' : 'Search text columns  /'}
      title={none ? 'Show a text column to search in it' : `Searches ${columns.map((c) => c.name).join(', ')}`}
      disabled={none}
      maxLength={200}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && text !== '') {
          e.stopPropagation();
          setText('');
        }
      }}
    />
  );
}
