import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { ContextMenu } from '../components/ContextMenu';
import { useToast } from '../components/toast-context';
import type { IndexInfo } from '../../../shared/contract';
import { routeHref } from '../app/routes';

const ENTRIES_PAGE = 100;

type Position = { cursor?: string; direction?: 'forward' | 'backward' };

/** Entries of an index in index order (index key → primary key), paged, narrowed by a lookup value. */
export function IndexEntries({ info }: { info: IndexInfo }) {
  const [position, setPosition] = useState<Position>({});
  const [lookupText, setLookupText] = useState('');
  const [lookup, setLookup] = useState<string | number | undefined>();
  const description = useQuery(orpc.tables.describe.queryOptions({ input: { table: info.table } }));
  const firstField = info.fields[0];
  const firstType = description.data?.columns.find((c) => c.name === firstField)?.type;
  const numeric = firstType === 'integer' || firstType === 'double' || firstType === 'timestamp';

  const entries = useQuery({
    ...orpc.indexes.entries.queryOptions({
      input: {
        table: info.table,
        index: info.name,
        limit: ENTRIES_PAGE,
        ...(position.cursor !== undefined ? { cursor: position.cursor, direction: position.direction ?? 'forward' } : {}),
        ...(lookup !== undefined ? { lookup } : {}),
      },
    }),
    placeholderData: keepPreviousData,
  });

  function applyLookup(): void {
    const text = lookupText.trim();
    let value: string | number | undefined = text === '' ? undefined : text;
    if (value !== undefined && numeric) {
      const n = firstType === 'timestamp' && !/^-?\d+(\.\d+)?$/.test(text) ? Date.parse(text) : Number(text);
      if (!Number.isNaN(n)) value = n;
    }
    setLookup(value);
    setPosition({});
  }

  const page = entries.data;
  const toast = useToast();
  // An entry's menu: open the row it points at (go to key in its table), or copy its keys.
  const [menu, setMenu] = useState<{ indexKey: string; primaryKey: string; at: { x: number; y: number } } | undefined>();
  const rowHref = (primaryKey: string) => routeHref({ view: 'table', table: info.table, key: primaryKey });
  const copy = (text: string, what: string) =>
    void navigator.clipboard.writeText(text).then(
      () => toast.show({ kind: 'success', message: `Copied ${what}.` }),
      (e: unknown) => toast.error(e, 'Could not copy'),
    );
  return (
    <section className="index-entries" aria-labelledby="index-entries-title">
      <div className="index-entries__bar">
        <h3 id="index-entries-title" className="index-entries__title">
          Entries
        </h3>
        <form
          className="go-to-key"
          role="search"
          aria-label="Look up index entries"
          onSubmit={(e) => {
            e.preventDefault();
            applyLookup();
          }}
        >
          <label>
            <span className="visually-hidden">Look up by {firstField ?? 'value'}</span>
            <input
              className="input input--compact"
              type="search"
              placeholder={`Look up ${firstField ?? 'value'}${numeric ? ' (number)' : ''}…`}
              value={lookupText}
              onChange={(e) => setLookupText(e.target.value)}
            />
          </label>
          <button type="submit" className="button button--small">
            Look up
          </button>
          {lookup !== undefined ? (
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() => {
                setLookupText('');
                setLookup(undefined);
                setPosition({});
              }}
            >
              Clear
            </button>
          ) : null}
        </form>
        <div className="pager">
          <button
            type="button"
            className="button button--small"
            disabled={!page?.prev || entries.isFetching}
            onClick={() => page?.prev && setPosition({ cursor: page.prev, direction: 'backward' })}
          >
            ‹ Previous
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={!page?.next || entries.isFetching}
            onClick={() => page?.next && setPosition({ cursor: page.next, direction: 'forward' })}
          >
            Next ›
          </button>
        </div>
      </div>
      {entries.isError ? <Alert kind="error">{errorMessage(entries.error)}</Alert> : null}
      {entries.isPending ? (
        <p className="muted" role="status">
          Loading entries…
        </p>
      ) : null}
      {page ? (
        page.entries.length === 0 ? (
          <p className="muted" role="status">
            {lookup !== undefined ? `No entries start at “${String(lookup)}”.` : 'The index has no entries.'}
          </p>
        ) : (
          <div className={`table-wrap table-wrap--scroll${entries.isPlaceholderData ? ' is-loading' : ''}`}>
            <table className="data-table data-table--compact">
              <caption className="visually-hidden">{`Entries of ${info.name}`}</caption>
              <thead>
                <tr>
                  <th scope="col">Index key ({info.fields.join(', ')})</th>
                  <th scope="col">Primary key</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <tr
                    key={`${e.indexKey}\u0000${e.primaryKey}`}
                    onContextMenu={(ev) => {
                      ev.preventDefault();
                      setMenu({ indexKey: e.indexKey, primaryKey: e.primaryKey, at: { x: ev.clientX, y: ev.clientY } });
                    }}
                    onKeyDown={(ev) => {
                      // Shift+F10 or the menu key on the entry's link: its menu, under it.
                      if (!(ev.key === 'ContextMenu' || (ev.shiftKey && ev.key === 'F10'))) return;
                      ev.preventDefault();
                      const r = (ev.target as HTMLElement).getBoundingClientRect();
                      setMenu({ indexKey: e.indexKey, primaryKey: e.primaryKey, at: { x: r.left, y: r.bottom } });
                    }}
                  >
                    <td>
                      <code>{e.indexKey}</code>
                    </td>
                    <td>
                      <a className="quiet-link" href={rowHref(e.primaryKey)} title={`Open this row in ${info.table} (Shift+F10 or right click: more)`}>
                        <code>{e.primaryKey}</code>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {menu ? (
        <ContextMenu
          label={`Actions of the entry ${menu.indexKey} → ${menu.primaryKey}`}
          at={menu.at}
          onClose={() => setMenu(undefined)}
          items={[
            {
              label: `Open row ${menu.primaryKey} in ${info.table}`,
              onSelect: () => {
                window.location.hash = rowHref(menu.primaryKey);
              },
            },
            { label: 'Copy primary key', onSelect: () => copy(menu.primaryKey, 'the primary key'), separated: true },
            { label: 'Copy index key', onSelect: () => copy(menu.indexKey, 'the index key') },
          ]}
        />
      ) : null}
    </section>
  );
}
