import { useEffect, useId, useRef, useState } from 'react';
import type { ColumnInfo, Filter, FilterOp } from '../../../shared/browse';
import { modShortcut } from '../palette/use-view-shortcuts';
import { compileDrafts, type DraftFilter, OP_LABELS, opsFor, opTakesValue, toDrafts } from './filters';

interface FilterBarProps {
  columns: readonly ColumnInfo[];
  applied: readonly Filter[];
  onApply: (filters: Filter[]) => void;
  /** Server-side problems with the applied filters (VALIDATION issues on `filters.N.*`). */
  serverErrors?: ReadonlyMap<number, string>;
}

let nextDraftId = 1;
const newId = () => nextDraftId++;

function blankDraft(columns: readonly ColumnInfo[]): DraftFilter {
  const column = columns.find((c) => !c.primaryKey) ?? columns[0];
  return { id: newId(), column: column?.name ?? '', op: column ? (opsFor(column)[0] ?? 'eq') : 'eq', value: '' };
}

/**
 * Filters on columns: pick a column, an operator and a value; several at once, joined by "and"
 * within a group and "or" between groups; the main process evaluates them.
 */
export function FilterBar({ columns, applied, onApply, serverErrors }: FilterBarProps) {
  const [drafts, setDrafts] = useState<DraftFilter[]>(() => {
    const d = toDrafts(applied, nextDraftId);
    nextDraftId += d.length;
    return d;
  });
  const [errors, setErrors] = useState<ReadonlyMap<number, string>>(new Map());
  const byName = new Map(columns.map((c) => [c.name, c]));
  const formId = useId();
  // A filter just added takes the focus (its column first), from the button or Ctrl/Cmd+F.
  const list = useRef<HTMLUListElement>(null);
  const focusNew = useRef(false);
  useEffect(() => {
    if (!focusNew.current) return;
    focusNew.current = false;
    list.current?.querySelector<HTMLElement>('li:last-child select')?.focus();
  }, [drafts.length]);

  const update = (id: number, patch: Partial<DraftFilter>) =>
    setDrafts((all) =>
      all.map((d) => {
        if (d.id !== id) return d;
        const next = { ...d, ...patch };
        // A new column may not support the old operator.
        const column = byName.get(next.column);
        if (column && patch.column !== undefined && !opsFor(column).includes(next.op)) next.op = opsFor(column)[0] ?? 'eq';
        return next;
      }),
    );

  function apply(list: DraftFilter[]): void {
    const compiled = compileDrafts(columns, list);
    if (!compiled.ok) {
      setErrors(compiled.errors);
      return;
    }
    setErrors(new Map());
    onApply(compiled.filters);
  }

  const dirty = JSON.stringify(compileDrafts(columns, drafts)) !== JSON.stringify({ ok: true, filters: applied });

  return (
    <form
      className="filter-bar"
      aria-label="Filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply(drafts);
      }}
    >
      {drafts.length === 0 ? <span className="filter-bar__empty">No filters: showing every row.</span> : null}
      <ul className="filter-bar__list" ref={list}>
        {drafts.map((d, i) => {
          const column = byName.get(d.column);
          const ops = column ? opsFor(column) : [];
          const error = errors.get(d.id) ?? serverErrors?.get(i);
          const errorId = `${formId}-err-${d.id}`;
          const n = i + 1;
          return (
            <li key={d.id} className={`filter${error ? ' filter--invalid' : ''}`}>
              {i > 0 ? (
                <select
                  className="select select--compact filter__join"
                  aria-label={`Filter ${n} joins the filters before it with`}
                  value={d.or ? 'or' : 'and'}
                  onChange={(e) => update(d.id, { or: e.target.value === 'or' })}
                >
                  <option value="and">and</option>
                  <option value="or">or</option>
                </select>
              ) : null}
              <select
                className="select select--compact"
                aria-label={`Filter ${n} column`}
                value={d.column}
                onChange={(e) => update(d.id, { column: e.target.value })}
              >
                {columns.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
              <select
                className="select select--compact"
                aria-label={`Filter ${n} operator`}
                value={d.op}
                onChange={(e) => update(d.id, { op: e.target.value as FilterOp })}
              >
                {ops.map((op) => (
                  <option key={op} value={op}>
                    {OP_LABELS[op]}
                  </option>
                ))}
              </select>
              {column && opTakesValue(d.op) ? (
                <FilterValueInput
                  column={column}
                  op={d.op}
                  value={d.value}
                  label={`Filter ${n} value`}
                  invalid={Boolean(error)}
                  errorId={errorId}
                  onChange={(value) => update(d.id, { value })}
                />
              ) : null}
              {column && d.op === 'between' ? (
                <>
                  <span className="filter__and">and</span>
                  <FilterValueInput
                    column={column}
                    op={d.op}
                    value={d.to ?? ''}
                    label={`Filter ${n} upper bound`}
                    invalid={Boolean(error)}
                    errorId={errorId}
                    onChange={(to) => update(d.id, { to })}
                  />
                </>
              ) : null}
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove filter ${n}`}
                title="Remove filter"
                onClick={() => {
                  const rest = drafts.filter((x) => x.id !== d.id);
                  setDrafts(rest);
                  // Removing an applied filter takes effect at once.
                  if (rest.length === 0) apply(rest);
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
              {error ? (
                <span id={errorId} className="filter__error" role="alert">
                  {error}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div className="filter-bar__actions">
        <button
          type="button"
          className="button button--small button--ghost"
          aria-keyshortcuts={modShortcut('F')}
          onClick={() => {
            setDrafts((all) => [...all, blankDraft(columns)]);
            focusNew.current = true;
          }}
        >
          + Add filter
        </button>
        {drafts.length > 0 || applied.length > 0 ? (
          <>
            <button type="submit" className={`button button--small${dirty ? ' button--primary' : ''}`}>
              Apply filters
            </button>
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() => {
                setDrafts([]);
                apply([]);
              }}
            >
              Clear
            </button>
          </>
        ) : null}
      </div>
    </form>
  );
}

interface ValueInputProps {
  column: ColumnInfo;
  op: FilterOp;
  value: string;
  label: string;
  invalid: boolean;
  errorId: string;
  onChange: (value: string) => void;
}

function FilterValueInput({ column, op, value, label, invalid, errorId, onChange }: ValueInputProps) {
  const common = {
    'aria-label': label,
    'aria-invalid': invalid || undefined,
    'aria-describedby': invalid ? errorId : undefined,
  };
  if (column.type === 'boolean') {
    return (
      <select className="select select--compact" {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  const text = op === 'contains' || op === 'starts_with' || op === 'ieq' || op === 'in';
  const type = text ? 'text' : column.type === 'timestamp' ? 'datetime-local' : column.type === 'integer' || column.type === 'double' ? 'number' : 'text';
  return (
    <input
      className="input input--compact"
      {...common}
      type={type}
      step={type === 'datetime-local' ? 1 : column.type === 'double' ? 'any' : undefined}
      placeholder={op === 'in' ? 'a, b, c' : type === 'text' ? 'value' : undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
