import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { type BrowseAction, browseView, initialBrowseView } from './browse-view';

const row = (key: string): Row => ({ key, values: { id: key }, version: `v-${key}` });
const run = (actions: BrowseAction[], initialKey?: string) => actions.reduce(browseView, initialBrowseView(initialKey));
const KEY = 'id';

describe('browseView', () => {
  it('starts at the initial key, waiting to select the row it lands on', () => {
    expect(initialBrowseView(undefined)).toEqual({ sort: undefined, filters: [], seek: undefined, selected: undefined, seekPending: false });
    expect(initialBrowseView('k7')).toMatchObject({ seek: 'k7', seekPending: true });
    expect(run([{ type: 'seekLanded', row: row('k7') }], 'k7')).toMatchObject({ seek: 'k7', seekPending: false, selected: row('k7') });
    // An empty landing page keeps what was selected.
    expect(
      run(
        [
          { type: 'select', row: row('a') },
          { type: 'seekLanded', row: undefined },
        ],
        'k7',
      ),
    ).toMatchObject({ seekPending: false, selected: row('a') });
  });

  it('sorting cycles asc, desc; ascending key order is no sort at all; every change drops the selection', () => {
    const sortBy = (column: string): BrowseAction => ({ type: 'sortBy', column, keyColumn: KEY });
    const select: BrowseAction = { type: 'select', row: row('a') };
    expect(run([select, sortBy('email')])).toMatchObject({ sort: { column: 'email', order: 'asc' }, selected: undefined });
    expect(run([sortBy('email'), sortBy('email')]).sort).toEqual({ column: 'email', order: 'desc' });
    expect(run([sortBy('email'), sortBy('email'), sortBy('email')]).sort).toEqual({ column: 'email', order: 'asc' });
    // The key column: first click is descending (ascending is the default), then back to none.
    expect(run([sortBy(KEY)]).sort).toEqual({ column: KEY, order: 'desc' });
    expect(run([sortBy(KEY), sortBy(KEY)]).sort).toBeUndefined();
    expect(run([sortBy('email'), select, { type: 'clearSort' }])).toMatchObject({ sort: undefined, selected: undefined });
  });

  it('going to a key works in key order only: a seek clears another sort, sorting by another column clears the seek', () => {
    const seek = (key: string | undefined): BrowseAction => ({ type: 'seek', key, keyColumn: KEY });
    expect(run([{ type: 'sortBy', column: 'email', keyColumn: KEY }, seek('k3')])).toMatchObject({ sort: undefined, seek: 'k3', seekPending: true });
    expect(run([{ type: 'sortBy', column: KEY, keyColumn: KEY }, seek('k3')])).toMatchObject({ sort: { column: KEY, order: 'desc' }, seek: 'k3' });
    expect(run([seek('k3'), { type: 'sortBy', column: 'email', keyColumn: KEY }]).seek).toBeUndefined();
    expect(run([seek('k3'), { type: 'sortBy', column: KEY, keyColumn: KEY }]).seek).toBe('k3');
    expect(run([{ type: 'sortBy', column: 'email', keyColumn: KEY }, seek(undefined)])).toMatchObject({
      sort: { column: 'email' },
      seek: undefined,
      seekPending: false,
    });
  });

  it('filters replace the applied ones and drop the selection', () => {
    const filters = [{ column: 'name', op: 'contains' as const, value: 'x' }];
    expect(
      run([
        { type: 'select', row: row('a') },
        { type: 'filter', filters },
      ]),
    ).toMatchObject({ filters, selected: undefined });
  });
});
