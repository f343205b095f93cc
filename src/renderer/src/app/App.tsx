import { lazy, Suspense } from 'react';
import { TableBrowser } from '../grid/TableBrowser';
import { IndexInspector } from '../indexes/IndexInspector';
import { JobsPage } from '../jobs/JobsPage';
import { NamespaceView } from '../namespaces/NamespaceView';
import { Overlays } from '../palette/Overlays';
import { setOverlay, useGlobalShortcuts } from '../palette/use-global-shortcuts';
import { UnsavedChangesGuard } from '../staging/UnsavedChangesGuard';
import { TabStrip } from '../tabs/TabStrip';
import { useWorkspaceTabs } from '../tabs/tabs-store';
import { ViewAsBanner } from '../view-as/ViewAsBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { Header } from './Header';
import { useLiveEvents } from './live-events';
import { useLiveQuery } from './live-query';
import { Overview } from './Overview';
import { StoragePage } from '../stats/StoragePage';
import { SchedulesPage } from '../schedules/SchedulesPage';
import { routeHref } from './routes';
import { DataDirSwitch } from '../data-dirs/DataDirSwitch';
import { StartPage } from '../data-dirs/StartPage';
import { Sidebar } from './Sidebar';
import { StoppedNotice } from './StoppedNotice';
import { useRoute } from './use-route';

// The console's editor, completion and formatter load when it is first opened, not with the app.
const SqlConsole = lazy(() => import('../sql/SqlConsole').then((m) => ({ default: m.SqlConsole })));

const openPalette = () => setOverlay('palette');

export function App() {
  const route = useRoute();
  const live = useLiveEvents();
  useLiveQuery(route.view === 'table' ? route.table : undefined);
  useGlobalShortcuts();
  useWorkspaceTabs();

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <UnsavedChangesGuard />
      <Header live={live} onPalette={openPalette} />
      <ViewAsBanner />
      {live === 'stopped' ? <StoppedNotice /> : null}
      <Sidebar route={route} />
      <TabStrip />
      <main id="main" className="main" tabIndex={-1}>
        <ErrorBoundary resetKey={routeHref(route)}>
          {route.view === 'table' ? (
            <TableBrowser key={routeHref(route)} table={route.table} {...(route.key !== undefined ? { initialKey: route.key } : {})} />
          ) : route.view === 'start' ? (
            <StartPage />
          ) : route.view === 'schedules' ? (
            <SchedulesPage />
          ) : route.view === 'storage' ? (
            <StoragePage table={route.table} />
          ) : route.view === 'namespace' ? (
            <NamespaceView name={route.namespace} />
          ) : route.view === 'jobs' ? (
            <JobsPage {...(route.job !== undefined ? { focus: route.job } : {})} />
          ) : route.view === 'sql' ? (
            <Suspense
              fallback={
                <p className="view view--padded muted" role="status">
                  Loading the SQL console…
                </p>
              }
            >
              <SqlConsole />
            </Suspense>
          ) : route.view === 'indexes' ? (
            <IndexInspector {...(route.table && route.index ? { selected: { table: route.table, index: route.index } } : {})} />
          ) : (
            <Overview />
          )}
        </ErrorBoundary>
      </main>
      <Overlays />
      <DataDirSwitch />
    </div>
  );
}
