import { useSyncExternalStore } from 'react';
import { parseRoute, type Route, routeHref } from './routes';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const snapshot = () => location.hash;

/** The current route; re-renders when the hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return parseRoute(hash);
}

export function navigate(route: Route): void {
  const href = routeHref(route);
  if (location.hash !== href) location.hash = href;
}

/**
 * Goes to `href` and lets every hashchange listener (the route, the tabs) follow in this task,
 * not in the next one where the browser queues its own hashchange event (which then finds
 * everything in step). For a click that should draw its view at once: a tab in the tab strip.
 */
export function navigateNow(href: string): void {
  if (location.hash === href) return;
  const oldURL = location.href;
  location.hash = href;
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: location.href }));
}
