import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { orpc } from '../api/client';
import { useGate } from '../app/gates';
import { Dialog } from '../components/Dialog';
import { useDataDirs } from '../data-dirs/StartPage';
import { useTableList } from '../namespaces/use-catalog';
import { type PaletteCommand, type PaletteItem, paletteIndex } from './palette-items';

const RECENT_JOBS = 20;
/** One empty list while a source loads, so the index is not built again for a new `[]`. */
const NONE: readonly never[] = [];

/**
 * Ctrl/Cmd+K: one box to go to any table, page or recent job, or run a command ("Flush
 * demo.products", "Open backup…"), matched fuzzily. A combobox over a listbox: ↑↓ choose, Enter
 * runs, Escape closes.
 */
export function CommandPalette({ onClose, onCommand }: { onClose: () => void; onCommand: (command: PaletteCommand) => void }) {
  const tables = useTableList();
  const readJobs = useGate({ right: 'readJobs' }) === undefined;
  const canManageJobs = useGate({ right: 'manageJobs' }) === undefined;
  const canWriteJobs = useGate({ write: true, right: 'manageJobs' }) === undefined;
  const jobs = useQuery({ ...orpc.jobs.list.queryOptions({ input: { limit: RECENT_JOBS } }), enabled: readJobs });
  const dataDirs = useDataDirs();

  const { search } = paletteIndex({ tables: tables.data ?? NONE, jobs: jobs.data?.jobs ?? NONE, canWriteJobs, canManageJobs, dataDirs: dataDirs.data });
  const [query, setQuery] = useState('');
  const results = useMemo(() => search(query), [search, query]);
  const [active, setActive] = useState(0);
  const at = Math.min(active, Math.max(0, results.length - 1));
  const listId = useId();
  const optionId = (i: number) => `${listId}-${i}`;

  function choose(item: PaletteItem | undefined): void {
    if (!item) return;
    onClose();
    const { action } = item;
    if (action.kind === 'go') window.location.hash = action.href;
    // Run by the app, which outlives this dialog (a job's toast comes after it closed).
    else onCommand(action.command);
  }

  return (
    <Dialog title="Command palette" onClose={onClose} size="medium">
      <div className="palette">
        <input
          className="input palette__input"
          role="combobox"
          aria-label="Search tables, pages, jobs and commands"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results.length > 0 ? optionId(at) : undefined}
          placeholder="Go to a table, page or job, or run a command…"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive(Math.min(results.length - 1, at + 1));
            else if (e.key === 'ArrowUp') setActive(Math.max(0, at - 1));
            else if (e.key === 'Enter') choose(results[at]);
            else return;
            e.preventDefault();
            document
              .getElementById(optionId(e.key === 'ArrowDown' ? Math.min(results.length - 1, at + 1) : Math.max(0, at - 1)))
              ?.scrollIntoView({ block: 'nearest' });
          }}
        />
        <ul id={listId} className="palette__list" role="listbox" aria-label="Results">
          {results.map((item, i) => (
            <li
              key={item.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === at}
              className={`palette__option${i === at ? ' palette__option--active' : ''}`}
              onPointerMove={() => setActive(i)}
              onClick={() => choose(item)}
            >
              <span className="palette__group">{item.group}</span>
              <span className="palette__label">{item.label}</span>
              {item.hint ? <span className="palette__hint">{item.hint}</span> : null}
            </li>
          ))}
        </ul>
        {results.length === 0 ? (
          <p className="muted palette__empty" role="status">
            Nothing matches “{query}”.
          </p>
        ) : null}
      </div>
    </Dialog>
  );
}
