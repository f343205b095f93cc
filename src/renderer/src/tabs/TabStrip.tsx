import { navigateNow } from '../app/use-route';
import { closeWorkspaceTab, useTabs } from './tabs-store';
import { tabTitle } from './workspace-tabs';

/**
 * The open tabs above the view: a link to each (the current one marked), with a close button.
 * A middle click on a tab closes it, as in browsers; Ctrl/Cmd+W closes the current one.
 */
export function TabStrip() {
  const { tabs, active } = useTabs();
  return (
    <nav className="tab-strip" aria-label="Open tabs">
      <ul className="tab-strip__list">
        {tabs.map((tab) => {
          const title = tabTitle(tab.href);
          const current = tab.id === active;
          return (
            <li key={tab.id} className={`tab-strip__tab${current ? ' tab-strip__tab--current' : ''}`}>
              <a
                className="tab-strip__link"
                href={tab.href}
                title={title}
                aria-current={current ? 'page' : undefined}
                onClick={(e) => {
                  // A plain click: the tab's view renders in this task (modified clicks stay the browser's).
                  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
                  e.preventDefault();
                  navigateNow(tab.href);
                }}
                onMouseDown={(e) => {
                  // No autoscroll on a middle press: it closes the tab.
                  if (e.button === 1) e.preventDefault();
                }}
                onAuxClick={(e) => {
                  if (e.button !== 1) return;
                  e.preventDefault();
                  closeWorkspaceTab(tab.id);
                }}
              >
                {title}
              </a>
              <button
                type="button"
                className="tab-strip__close"
                aria-label={`Close ${title}`}
                title={`Close ${title}`}
                onClick={() => closeWorkspaceTab(tab.id)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
