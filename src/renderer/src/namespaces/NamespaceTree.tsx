import { type CSSProperties, memo, useCallback, useState } from 'react';
import type { TableListEntry } from '../../../shared/contract';
import { errorMessage } from '../api/errors';
import { useGate } from '../app/gates';
import { type Route, routeHref } from '../app/routes';
import { Icon } from '../components/Icon';
import { CreateNamespaceDialog } from './CreateNamespaceDialog';
import { rowCountText, shortCount } from './row-count-text';
import { TypeBadge } from './TypeBadge';
import { useTablesWithStaged } from '../staging/staging-store';
import { type NamespaceNode, useNamespaceTree } from './use-catalog';

/** Heights of a namespace's row and of a table's, for the size an off-screen namespace keeps (data.css). */
const NS_ROW_PX = 30;
const TABLE_ROW_PX = 28;

/**
 * The sidebar's data section: namespaces, each a disclosure of its tables with their kind and the
 * rows the current subject sees. Plain buttons and links, so Tab, Enter and Space do everything.
 * Namespaces and tables are memoized: moving to another page re-renders the two items whose
 * "current" mark changes, not a tree of 1,000 tables.
 */
export function NamespaceTree({ route }: { route: Route }) {
  const { tree, namespaces, tables } = useNamespaceTree();
  const staged = useTablesWithStaged();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const newBlocked = useGate({ write: true, right: 'changeSchema' });
  const currentTable = route.view === 'table' ? route.table : undefined;
  const currentNamespace = route.view === 'namespace' ? route.namespace : undefined;

  const toggle = useCallback(
    (name: string) =>
      setCollapsed((c) => {
        const next = new Set(c);
        if (next.has(name)) next.delete(name);
        else next.add(name);
        return next;
      }),
    [],
  );

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
        {tree?.map((node) => {
          const name = node.namespace.name;
          const inside = currentTable?.startsWith(`${name}.`) === true;
          return (
            <NamespaceItem
              key={name}
              node={node}
              open={!collapsed.has(name)}
              onToggle={toggle}
              current={currentNamespace === name}
              currentTable={inside ? currentTable : undefined}
              staged={staged}
            />
          );
        })}
      </ul>
      {creating ? <CreateNamespaceDialog onClose={() => setCreating(false)} /> : null}
    </section>
  );
}

interface NamespaceItemProps {
  node: NamespaceNode;
  open: boolean;
  onToggle: (name: string) => void;
  /** This namespace's page is the one shown. */
  current: boolean;
  /** The table shown, when it is one of this namespace's. */
  currentTable: string | undefined;
  staged: ReadonlySet<string>;
}

const NamespaceItem = memo(function NamespaceItem({ node, open, onToggle, current, currentTable, staged }: NamespaceItemProps) {
  const { namespace, tables: list } = node;
  const name = namespace.name;
  const listId = `ns-tables-${name}`;
  const href = routeHref({ view: 'namespace', namespace: name });
  return (
    <li className="ns" style={{ '--ns-height': `${NS_ROW_PX + (open ? Math.max(1, list.length) * TABLE_ROW_PX : 0)}px` } as CSSProperties}>
      <div className="ns__row">
        <button
          type="button"
          className="ns__toggle"
          aria-expanded={open}
          aria-controls={listId}
          aria-label={`${open ? 'Collapse' : 'Expand'} namespace ${name}`}
          onClick={() => onToggle(name)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span>
        </button>
        <a className="sidebar__link ns__link" href={href} aria-current={current ? 'page' : undefined} aria-describedby={`${listId}-count`}>
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
          {list.map((t) => (
            <TableItem key={t.table} table={t} listId={listId} current={currentTable === t.table} staged={staged.has(t.table)} />
          ))}
          {list.length === 0 ? <li className="sidebar__note ns__empty">No tables</li> : null}
        </ul>
      ) : null}
    </li>
  );
});

const TableItem = memo(function TableItem({ table: t, listId, current, staged }: { table: TableListEntry; listId: string; current: boolean; staged: boolean }) {
  const href = routeHref({ view: 'table', table: t.table });
  return (
    <li>
      <a className="sidebar__link ns__table" href={href} aria-current={current ? 'page' : undefined} title={t.table} aria-describedby={`${listId}-${t.name}`}>
        <Icon name={t.canRead ? 'table' : 'lockedTable'} className="sidebar__icon" />
        <span className="sidebar__name">{t.name}</span>
        <span className="ns__facts" aria-hidden="true">
          {staged ? <span className="ns__staged" title="Has staged changes" /> : null}
          <TypeBadge kind={t.kind} />
          <span className="sidebar__tag" title={rowCountText(t)}>
            {shortCount(t)}
          </span>
        </span>
      </a>
      <span id={`${listId}-${t.name}`} hidden>{`${t.kind} table, ${rowCountText(t)}${staged ? ', has staged changes' : ''}`}</span>
    </li>
  );
});
