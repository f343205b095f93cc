import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
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
  { href: '#/sql', icon: 'console', label: 'SQL console' },
  { href: '#/indexes', icon: 'index', label: 'Indexes' },
  { href: '#/jobs', icon: 'jobs', label: 'Jobs' },
  { href: '#/schedules', icon: 'schedules', label: 'Schedules' },
  { href: '#/start', icon: 'folder', label: 'Start' },
];

/** The system tables by name; data tables are in the namespace tree below them. */
function systemTables(tables: readonly TableSummary[]): TableSummary[] {
  return tables.filter((t) => t.kind === 'system').sort((a, b) => a.table.localeCompare(b.table));
}

export function Sidebar({ route }: { route: Route }) {
  const tables = useTableList();
  const system = useMemo(() => systemTables(tables.data ?? []), [tables.data]);
  // Start loading a table's view when its link is pointed at, focused or clicked (the click comes
  // before the route changes): its rows are then on their way, or in, when the view renders.
  const queryClient = useQueryClient();
  const prefetchOn = (table: string) => {
    const prefetch = () => prefetchTable(queryClient, table);
    return { onPointerEnter: prefetch, onFocus: prefetch, onClick: prefetch };
  };
  const here =
    route.view === 'table' || route.view === 'storage'
      ? routeHref({ view: 'table', table: route.table })
      : route.view === 'indexes'
        ? '#/indexes'
        : routeHref(route);
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
      {system.length > 0 ? (
        <section className="sidebar__section" aria-labelledby="sidebar-system">
          <h2 id="sidebar-system" className="sidebar__heading">
            System tables
          </h2>
          <ul className="sidebar__list">
            {system.map((t) => {
              const href = routeHref({ view: 'table', table: t.table });
              return (
                <li key={t.table}>
                  <a className="sidebar__link" href={href} aria-current={current(href)} title={t.table} {...prefetchOn(t.table)}>
                    <Icon name={t.editable ? 'table' : 'lockedTable'} className="sidebar__icon" />
                    <span className="sidebar__name">{t.name}</span>
                    {t.editable ? null : <span className="visually-hidden">(read-only)</span>}
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
      <NamespaceTree route={route} />
    </nav>
  );
}
