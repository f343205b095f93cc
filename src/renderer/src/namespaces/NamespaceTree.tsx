import { useState } from 'react';
import { errorMessage } from '../api/errors';
import { useGate } from '../app/gates';
import { type Route, routeHref } from '../app/routes';
import { Icon } from '../components/Icon';
import { CreateNamespaceDialog } from './CreateNamespaceDialog';
import { rowCountText, shortCount } from './row-count-text';
import { TypeBadge } from './TypeBadge';
import { useTablesWithStaged } from '../staging/staging-store';
import { useNamespaceTree } from './use-catalog';

/**
 * The sidebar's data section: namespaces, each a disclosure of its tables with their kind and the
 * rows the current subject sees. Plain buttons and links, so Tab, Enter and Space do everything.
 */
export function NamespaceTree({ route }: { route: Route }) {
  const { tree, namespaces, tables } = useNamespaceTree();
  const staged = useTablesWithStaged();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const newBlocked = useGate({ write: true, right: 'changeSchema' });
  const here = route.view === 'table' ? route.table : route.view === 'namespace' ? route.namespace : undefined;

  const toggle = (name: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });

  return (
    <section className="sidebar__section" aria-labelledby="sidebar-namespaces">
      <div className="sidebar__heading-row">
        <h2 id="sidebar-namespaces" className="sidebar__heading">
          Namespaces
        </h2>
        <button
          type="button"
          className="icon-button icon-button--small"
          aria-label="New namespace"
          title={newBlocked ?? 'New namespace'}
          disabled={newBlocked !== undefined}
          onClick={() => setCreating(true)}
        >
          <span aria-hidden="true">+</span>
        </button>
      </div>
      {namespaces.isPending ? <p className="sidebar__note">Loading namespaces…</p> : null}
      {namespaces.isError || tables.isError ? (
        <div className="sidebar__note sidebar__note--error" role="alert">
          <p>Namespaces could not be listed: {errorMessage(namespaces.error ?? tables.error)}</p>
        </div>
      ) : null}
      {tree?.length === 0 ? <p className="sidebar__note">No namespaces yet.</p> : null}
      <ul className="sidebar__list">
        {tree?.map(({ namespace, tables: list }) => {
          const name = namespace.name;
          const open = !collapsed.has(name);
          const listId = `ns-tables-${name}`;
          const href = routeHref({ view: 'namespace', namespace: name });
          return (
            <li key={name} className="ns">
              <div className="ns__row">
                <button
                  type="button"
                  className="ns__toggle"
                  aria-expanded={open}
                  aria-controls={listId}
                  aria-label={`${open ? 'Collapse' : 'Expand'} namespace ${name}`}
                  onClick={() => toggle(name)}
                >
                  <span aria-hidden="true">{open ? '▾' : '▸'}</span>
                </button>
                <a
                  className="sidebar__link ns__link"
                  href={href}
                  aria-current={here === name && route.view === 'namespace' ? 'page' : undefined}
                  aria-describedby={`${listId}-count`}
                >
                  <span className="sidebar__name">{name}</span>
                  <span className="sidebar__tag" aria-hidden="true">
                    {list.length}
                  </span>
                </a>
                <span id={`${listId}-count`} hidden>
                  {list.length === 1 ? '1 table' : `${list.length} tables`}
                </span>
              </div>
              {open ? (
                <ul id={listId} className="sidebar__list ns__tables" aria-label={`Tables of ${name}`}>
                  {list.map((t) => {
                    const tHref = routeHref({ view: 'table', table: t.table });
                    return (
                      <li key={t.table}>
                        <a
                          className="sidebar__link ns__table"
                          href={tHref}
                          aria-current={here === t.table ? 'page' : undefined}
                          title={t.table}
                          aria-describedby={`${listId}-${t.name}`}
                        >
                          <Icon name={t.canRead ? 'table' : 'lockedTable'} className="sidebar__icon" />
                          <span className="sidebar__name">{t.name}</span>
                          <span className="ns__facts" aria-hidden="true">
                            {staged.has(t.table) ? <span className="ns__staged" title="Has staged changes" /> : null}
                            <TypeBadge kind={t.kind} />
                            <span className="sidebar__tag" title={rowCountText(t)}>
                              {shortCount(t)}
                            </span>
                          </span>
                        </a>
                        <span
                          id={`${listId}-${t.name}`}
                          hidden
                        >{`${t.kind} table, ${rowCountText(t)}${staged.has(t.table) ? ', has staged changes' : ''}`}</span>
                      </li>
                    );
                  })}
                  {list.length === 0 ? <li className="sidebar__note ns__empty">No tables</li> : null}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ul>
      {creating ? <CreateNamespaceDialog onClose={() => setCreating(false)} /> : null}
    </section>
  );
}
