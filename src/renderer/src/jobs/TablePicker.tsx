import { useId, useMemo, useState } from 'react';
import type { TableListEntry } from '../../../shared/contract';

interface TablePickerProps {
  tables: readonly TableListEntry[];
  /** The chosen table ("ns.name"), or '' for none yet. */
  value: string;
  onChange: (table: string) => void;
  /** Enter in the search or the list: the dialog's main action. */
  onSubmit?: () => void;
}

/** Tables listed whose name contains every word of the search, in the catalog's order. */
function tablesMatching(tables: readonly TableListEntry[], search: string): TableListEntry[] {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return tables.filter((t) => words.every((w) => t.table.toLowerCase().includes(w)));
}

/**
 * A table of a job's dialog: a list of the tables the job can take, narrowed by a search on the
 * name. Never a text field: only tables that exist can be chosen.
 */
export function TablePicker({ tables, value, onChange, onSubmit }: TablePickerProps) {
  const id = useId();
  const [search, setSearch] = useState('');
  const shown = useMemo(() => tablesMatching(tables, search), [tables, search]);
  const enter = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && onSubmit && value !== '') {
      e.preventDefault();
      onSubmit();
    }
  };
  return (
    <div className="field table-picker">
      <label className="field__label" htmlFor={id}>
        Table
      </label>
      <input
        className="input table-picker__search"
        type="search"
        aria-label="Search tables by name"
        placeholder="Search tables by name"
        autoComplete="off"
        spellCheck={false}
        value={search}
        onChange={(e) => {
          setSearch(e.target.value);
          // The choice follows the search (the first match), so that a name and Enter run the job on it.
          const matches = tablesMatching(tables, e.target.value);
          if (!matches.some((t) => t.table === value)) onChange(matches[0]?.table ?? '');
        }}
        onKeyDown={enter}
      />
      <select
        id={id}
        className="select table-picker__list"
        size={Math.min(8, Math.max(2, shown.length))}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={enter}
      >
        {shown.map((t) => (
          <option key={t.table} value={t.table}>
            {t.table} ({t.kind})
          </option>
        ))}
      </select>
      {shown.length === 0 ? (
        <p className="field__hint" role="status">
          No table matches “{search.trim()}”.
        </p>
      ) : null}
    </div>
  );
}
