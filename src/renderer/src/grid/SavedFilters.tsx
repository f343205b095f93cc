import { useState } from 'react';
import type { Filter } from '../../../shared/browse';
import { useEngineInfo } from '../app/engine';
import { useSavedFilters } from './saved-filters';

interface SavedFiltersProps {
  table: string;
  applied: readonly Filter[];
  onApply: (filters: Filter[]) => void;
}

/** Saved filters of a table: apply one from the list, save the applied filters under a name, delete the one applied. */
export function SavedFilters({ table, applied, onApply }: SavedFiltersProps) {
  const saved = useSavedFilters(useEngineInfo().data?.dataDir, table);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const current = saved.list.find((s) => JSON.stringify(s.filters) === JSON.stringify(applied));
  if (!saved.ready) return null;
  return (
    <div className="saved-filters" role="group" aria-label="Saved filters">
      {saved.list.length > 0 ? (
        <select
          className="select select--compact"
          aria-label="Apply saved filters"
          value={current?.name ?? ''}
          onChange={(e) => {
            const chosen = saved.list.find((s) => s.name === e.target.value);
            if (chosen) onApply([...chosen.filters]);
          }}
        >
          <option value="">Saved filters…</option>
          {saved.list.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
        </select>
      ) : null}
      {current ? (
        <button type="button" className="button button--small button--ghost" onClick={() => saved.remove(current.name)}>
          Delete “{current.name}”
        </button>
      ) : null}
      {naming ? (
        <form
          className="saved-filters__name"
          onSubmit={(e) => {
            e.preventDefault();
            const trimmed = name.trim();
            if (trimmed === '') return;
            saved.save(trimmed, applied);
            setNaming(false);
            setName('');
          }}
        >
          <input
            className="input input--compact"
            aria-label="Name of the saved filters"
            maxLength={100}
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation();
                setNaming(false);
              }
            }}
          />
          <button type="submit" className="button button--small" disabled={name.trim() === ''}>
            Save
          </button>
        </form>
      ) : applied.length > 0 && !current ? (
        <button type="button" className="button button--small button--ghost" onClick={() => setNaming(true)}>
          Save filters…
        </button>
      ) : null}
    </div>
  );
}
