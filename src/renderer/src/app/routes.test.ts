import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from './routes';

describe('routes', () => {
  it('parses the views', () => {
    expect(parseRoute('')).toEqual({ view: 'home' });
    expect(parseRoute('#/')).toEqual({ view: 'home' });
    expect(parseRoute('#/table/system.users')).toEqual({ view: 'table', table: 'system.users' });
    expect(parseRoute('#/table/system.users/at/u_alice')).toEqual({ view: 'table', table: 'system.users', key: 'u_alice' });
    expect(parseRoute('#/indexes')).toEqual({ view: 'indexes' });
    expect(parseRoute('#/indexes/system.users/idx_users_username')).toEqual({
      view: 'indexes',
      table: 'system.users',
      index: 'idx_users_username',
    });
    expect(parseRoute('#/namespace/app')).toEqual({ view: 'namespace', namespace: 'app' });
    expect(parseRoute('#/schedules')).toEqual({ view: 'schedules' });
    expect(parseRoute('#/storage/demo.notes')).toEqual({ view: 'storage', table: 'demo.notes' });
    expect(parseRoute('#/jobs')).toEqual({ view: 'jobs' });
    expect(parseRoute('#/sql')).toEqual({ view: 'sql' });
    expect(parseRoute('#/start')).toEqual({ view: 'start' });
    expect(routeHref({ view: 'start' })).toBe('#/start');
    expect(parseRoute('#/jobs/FL-0abc')).toEqual({ view: 'jobs', job: 'FL-0abc' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'home' });
  });

  it('round-trips through hrefs, escaping odd names', () => {
    for (const route of [
      { view: 'home' },
      { view: 'table', table: 'app.my table' },
      { view: 'table', table: 'system.tables', key: 'app/x y' },
      { view: 'indexes', table: 'system.users', index: 'by/name' },
      { view: 'storage', table: 'app.my table' },
      { view: 'schedules' },
      { view: 'jobs' },
      { view: 'jobs', job: 'BK-1/2' },
      { view: 'sql' },
    ] as const) {
      expect(parseRoute(routeHref(route))).toEqual(route);
    }
  });

  it('survives malformed escapes', () => {
    expect(parseRoute('#/table/%E0%A4%A')).toEqual({ view: 'table', table: '%E0%A4%A' });
  });
});
