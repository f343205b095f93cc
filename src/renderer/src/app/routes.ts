/** The views of the app, addressed by the location hash so they work on app:// and http:// alike. */
export type Route =
  | { readonly view: 'home' }
  | { readonly view: 'table'; readonly table: string; /** Open at this key (go to key). */ readonly key?: string }
  /** A table's Storage tab: tiers, segments, manifest.json, maintenance dry runs. */
  | { readonly view: 'storage'; readonly table: string }
  | { readonly view: 'indexes'; readonly table?: string; readonly index?: string }
  | { readonly view: 'namespace'; readonly namespace: string }
  /** The maintenance planner's schedules. */
  | { readonly view: 'schedules' }
  | { readonly view: 'jobs'; /** Show this job first (a toast's or the header's link). */ readonly job?: string }
  | { readonly view: 'sql' }
  /** The data directories: the open one, the recent ones, opening another or a new one. */
  | { readonly view: 'start' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  const [head, a, b, c] = parts;
  if (head === 'table' && a) return b === 'at' && c ? { view: 'table', table: a, key: c } : { view: 'table', table: a };
  if (head === 'sql') return { view: 'sql' };
  if (head === 'start') return { view: 'start' };
  if (head === 'schedules') return { view: 'schedules' };
  if (head === 'storage' && a) return { view: 'storage', table: a };
  if (head === 'jobs') return a ? { view: 'jobs', job: a } : { view: 'jobs' };
  if (head === 'namespace' && a) return { view: 'namespace', namespace: a };
  if (head === 'indexes') {
    if (a && b) return { view: 'indexes', table: a, index: b };
    return { view: 'indexes' };
  }
  return { view: 'home' };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'table':
      return `#/table/${encodeURIComponent(route.table)}${route.key !== undefined ? `/at/${encodeURIComponent(route.key)}` : ''}`;
    case 'schedules':
      return '#/schedules';
    case 'storage':
      return `#/storage/${encodeURIComponent(route.table)}`;
    case 'jobs':
      return route.job !== undefined ? `#/jobs/${encodeURIComponent(route.job)}` : '#/jobs';
    case 'sql':
      return '#/sql';
    case 'start':
      return '#/start';
    case 'namespace':
      return `#/namespace/${encodeURIComponent(route.namespace)}`;
    case 'indexes':
      return route.table && route.index ? `#/indexes/${encodeURIComponent(route.table)}/${encodeURIComponent(route.index)}` : '#/indexes';
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
