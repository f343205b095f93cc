import { useQueryClient } from '@tanstack/react-query';
import { Icon, type IconName } from '../components/Icon';
import { prefetchTable } from '../grid/open-table';
import { errorMessage } from '../api/errors';
import type { TableSummary } from '../../../shared/contract';
import { NamespaceTree } from '../namespaces/NamespaceTree';
import { useTableList } from '../namespaces/use-catalog';
import { type Route, routeHref } from './routes';

/** The app's own pages, above the tables. */
const PAGES: readonly { href: string; icon: IconName; label: string }[] = [
  { href: '#/', icon: 'overview', label: 'Overview' },
  { href: '#/indexes', icon: 'index', label: 'Indexes' },
  { href: '#/jobs', icon: 'jobs', label: 'Jobs' },
];

const KIND_TITLES: Record<TableSummary['kind'], string> = {
  system: 'System tables',
  shared: 'Shared tables',
  user: 'User tables',
  stream: 'Stream tables',
};

function groupByKind(tables: readonly TableSummary[]): [TableSummary['kind'], TableSummary[]][] {
  const groups = new Map<TableSummary['kind'], TableSummary[]>();
  for (const t of tables) groups.set(t.kind, [...(groups.get(t.kind) ?? []), t]);
  for (const list of groups.values()) list.sort((a, b) => a.table.localeCompare(b.table));
  return [...groups.entries()].sort(([a], [b]) => (a === 'system' ? -1 : b === 'system' ? 1 : a.localeCompare(b)));
}

export function Sidebar({ route }: { route: Route }) {
  const tables = useTableList();
  // Start loading a table's view when its link is pointed at, focused or clicked (the click comes
  // before the route changes): its rows are then on their way, or in, when the view renders.
  const queryClient = useQueryClient();
  const prefetchOn = (table: string) => {
    const prefetch = () => prefetchTable(queryClient, table);
    return { onPointerEnter: prefetch, onFocus: prefetch, onClick: prefetch };
  };
  const here = route.view === 'table' ? routeHref({ view: 'table', table: route.table }) : route.view === 'indexes' ? '#/indexes' : routeHref(route);
  const current = (href: string) => (here === href ? 'page' : undefined);

  return (
    <nav className="sidebar" aria-label="Main">
      <ul className="sidebar__list">
        {PAGES.map((page) => (
          <li key={page.href}>
            <a className="sidebar__link" href={page.href} aria-current={current(page.href)}>
              <Icon name={page.icon} className="sidebar__icon" />
              {page.label}
            </a>
          </li>
        ))}
      </ul>
      {tables.isPending ? <p className="sidebar__note">Loading tables…</p> : null}
      {tables.isError ? (
        <div className="sidebar__note sidebar__note--error" role="alert">
          <p>Tables could not be listed: {errorMessage(tables.error)}</p>
          <button type="button" className="button button--small" onClick={() => void tables.refetch()}>
            Retry
          </button>
        </div>
      ) : null}
      {tables.data
        ? groupByKind(tables.data.filter((t) => t.kind === 'system')).map(([kind, list]) => (
            <section key={kind} className="sidebar__section" aria-labelledby={`sidebar-${kind}`}>
              <h2 id={`sidebar-${kind}`} className="sidebar__heading">
                {KIND_TITLES[kind]}
              </h2>
              <ul className="sidebar__list">
                {list.map((t) => {
                  const href = routeHref({ view: 'table', table: t.table });
                  return (
                    <li key={t.table}>
                      <a className="sidebar__link" href={href} aria-current={current(href)} title={t.table} {...prefetchOn(t.table)}>
                        <Icon name={t.editable ? 'table' : 'lockedTable'} className="sidebar__icon" />
                        <span className="sidebar__name">{kind === 'system' ? t.name : t.table}</span>
                        {t.editable ? null : <span className="visually-hidden">(read-only)</span>}
                      </a>
                    </li>
                  );
                })}
              </ul>
            </section>
          ))
        : null}
      <NamespaceTree route={route} />
    </nav>
  );
}
