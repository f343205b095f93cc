import { useDeferredValue, useMemo, useState } from 'react';
import { formatCount } from '../grid/cell-format';
import { formatElapsed } from '../jobs/job-text';
import type { HistoryEntry, SavedQuery } from './console-store';
import { searchHistory } from './console-store';

/** Entries listed at once; the search narrows the rest down. */
const SHOWN = 100;

function rowsText(h: HistoryEntry): string {
  if (h.rows === null) return '';
  return `${formatCount(h.rows)}${h.moreRows ? '+' : ''} ${h.rows === 1 && !h.moreRows ? 'row' : 'rows'}`;
}

/** The history of runs, newest first, searchable; an entry opens in a new tab. */
export function HistoryPanel({ history, onOpen, onClear }: { history: readonly HistoryEntry[]; onOpen: (sql: string) => void; onClear: () => void }) {
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const found = useMemo(() => searchHistory(history, deferred), [history, deferred]);
  return (
    <section className="sql-side" aria-labelledby="sql-history-title">
      <header className="sql-side__head">
        <h2 id="sql-history-title" className="sql-side__title">
          History
        </h2>
        <button type="button" className="button button--small" onClick={onClear} disabled={history.length === 0}>
          Clear
        </button>
      </header>
      <input
        type="search"
        className="input"
        aria-label="Search history"
        placeholder="Search SQL, subject, error"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <p className="sql-side__count muted" role="status">
        {found.length === history.length ? `${formatCount(history.length)} runs` : `${formatCount(found.length)} of ${formatCount(history.length)} runs`}
      </p>
      <ol className="sql-side__list" aria-label="Runs">
        {found.slice(0, SHOWN).map((h) => (
          <li key={h.id} className={`sql-history${h.error !== null ? ' sql-history--error' : ''}`}>
            <button type="button" className="sql-history__open" onClick={() => onOpen(h.sql)} title="Open in a new tab">
              <code className="sql-history__sql">{h.sql}</code>
            </button>
            <div className="sql-history__meta">
              <time dateTime={h.at}>{new Date(h.at).toLocaleString()}</time>
              <span>{formatElapsed(h.durationMs)}</span>
              {rowsText(h) ? <span>{rowsText(h)}</span> : null}
              <span>as {h.subject}</span>
            </div>
            {h.error !== null ? <div className="sql-history__error">{h.error}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Saved queries by name: open one in a new tab, or delete it. */
export function SavedPanel({ saved, onOpen, onDelete }: { saved: readonly SavedQuery[]; onOpen: (q: SavedQuery) => void; onDelete: (q: SavedQuery) => void }) {
  return (
    <section className="sql-side" aria-labelledby="sql-saved-title">
      <header className="sql-side__head">
        <h2 id="sql-saved-title" className="sql-side__title">
          Saved queries
        </h2>
      </header>
      {saved.length === 0 ? <p className="muted">None yet: “Save query” keeps the tab’s text under a name.</p> : null}
      <ul className="sql-side__list" aria-label="Saved queries">
        {saved.map((q) => (
          <li key={q.id} className="sql-saved">
            <button type="button" className="sql-saved__open" onClick={() => onOpen(q)}>
              <span className="sql-saved__name">{q.name}</span>
              <code className="sql-history__sql">{q.sql}</code>
            </button>
            <button type="button" className="icon-button" aria-label={`Delete saved query ${q.name}`} onClick={() => onDelete(q)}>
              <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
