import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { type BrowseAction, browseView, defaultSort, initialBrowseView } from './browse-view';

const row = (key: string): Row => ({ key, values: { id: key }, version: `v-${key}` });
const run = (actions: BrowseAction[], initialKey?: string) => actions.reduce(browseView, initialBrowseView(initialKey));
const KEY = 'id';

describe('browseView', () => {
  it('a quick search clears the anchor and the selection; the same search again (none at first) changes nothing', () => {
    const anchored = run([], 'k7');
    expect(browseView(anchored, { type: 'search', search: undefined })).toBe(anchored);
    const searched = browseView(anchored, { type: 'search', search: { text: 'ada', columns: ['name'] } });
    expect(searched).toMatchObject({ search: { text: 'ada', columns: ['name'] }, seek: undefined, seekPending: false, selected: undefined });
    expect(browseView(searched, { type: 'search', search: { text: 'ada', columns: ['name'] } })).toBe(searched);
  });

  it('starts at the initial key, waiting to select the row it lands on', () => {
    expect(initialBrowseView(undefined)).toEqual({
      sort: undefined,
      filters: [],
      search: undefined,
      seek: undefined,
      seekReason: undefined,
      seekMissed: false,
      selected: undefined,
      seekPending: false,
    });
    expect(initialBrowseView('k7')).toMatchObject({ seek: 'k7', seekPending: true });
    expect(run([{ type: 'seekLanded', row: row('k7') }], 'k7')).toMatchObject({ seek: 'k7', seekPending: false, seekMissed: false, selected: row('k7') });
    // No row has the key: the next one is selected, and the view knows it missed.
    expect(run([{ type: 'seekLanded', row: row('k8') }], 'k7')).toMatchObject({ seek: 'k7', seekMissed: true, selected: row('k8') });
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

  it('going to a key works in key order only: a seek clears another sort; any new sort clears the seek', () => {
    const seek = (key: string | undefined): BrowseAction => ({ type: 'seek', key, keyColumn: KEY });
    expect(run([{ type: 'sortBy', column: 'email', keyColumn: KEY }, seek('k3')])).toMatchObject({ sort: undefined, seek: 'k3', seekPending: true });
    expect(run([{ type: 'sortBy', column: KEY, keyColumn: KEY }, seek('k3')])).toMatchObject({ sort: { column: KEY, order: 'desc' }, seek: 'k3' });
    expect(run([seek('k3'), { type: 'sortBy', column: 'email', keyColumn: KEY }]).seek).toBeUndefined();
    // Sorts apply to the whole table, also a sort by the key.
    expect(run([seek('k3'), { type: 'sortBy', column: KEY, keyColumn: KEY }])).toMatchObject({ seek: undefined, seekPending: false });
    expect(run([{ type: 'sortBy', column: 'email', keyColumn: KEY }, seek(undefined)])).toMatchObject({
      sort: { column: 'email' },
      seek: undefined,
      seekPending: false,
    });
  });

  it('a row created elsewhere in key order is gone to with the reason shown; a user seek has none', () => {
    expect(run([{ type: 'seek', key: 'k9', keyColumn: KEY, reason: 'created' }])).toMatchObject({ seek: 'k9', seekReason: 'created' });
    expect(
      run([
        { type: 'seek', key: 'k9', keyColumn: KEY, reason: 'created' },
        { type: 'seek', key: 'k2', keyColumn: KEY },
      ]).seekReason,
    ).toBeUndefined();
  });

  it('audit_log opens newest first (its key descending); other tables in key order', () => {
    expect(defaultSort('system.audit_log')).toEqual({ column: 'audit_id', order: 'desc' });
    expect(defaultSort('system.users')).toBeUndefined();
    expect(initialBrowseView(undefined, defaultSort('system.audit_log')).sort).toEqual({ column: 'audit_id', order: 'desc' });
  });

  it('filters apply to the whole table: a new filter clears the go-to-key anchor', () => {
    const filters = [{ column: 'name', op: 'contains' as const, value: 'x' }];
    expect(run([{ type: 'filter', filters }], 'k300')).toMatchObject({ filters, seek: undefined, seekPending: false, seekMissed: false });
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
