import { describe, expect, it } from 'vitest';
import type { Row } from '../../../shared/browse';
import { browseView, initialBrowseView } from './browse-view';
import { parseSavedView, restoreTableView, saveTableView } from './table-view-state';

const row: Row = { key: '7', values: { id: 7, customer: 'Ada' }, version: 'v7' };
const widths = { widths: { id: 90, customer: 140 }, onRows: true };

/** A view with everything set: filters, sort, search, an anchor, a selected row. */
function busyView() {
  let v = initialBrowseView(undefined);
  v = browseView(v, { type: 'sortBy', column: 'amount', keyColumn: 'id' });
  v = browseView(v, { type: 'filter', filters: [{ column: 'customer', op: 'contains', value: 'Ada' }] });
  v = browseView(v, { type: 'search', search: { text: 'x', columns: ['customer'] } });
  v = browseView(v, { type: 'seek', key: '5', keyColumn: 'id' });
  v = browseView(v, { type: 'seekLanded', row });
  return v;
}

describe('a table tab kept view', () => {
  it('survives JSON (the tab store in localStorage) and comes back as it was, scroll and widths included', () => {
    const view = busyView();
    const saved = parseSavedView(JSON.parse(JSON.stringify(saveTableView(view, 'admin', 912.4, widths))));
    expect(saved).toBeDefined();
    const { view: back, scrollTop } = restoreTableView(saved, 'admin', undefined, undefined, 'id');
    expect(back).toEqual({ ...view, seekPending: false });
    expect(scrollTop).toBe(912);
    expect(saved?.widths).toEqual(widths);
  });

  it('the same key in the address restores the view; another key goes there from the kept filters, at the top', () => {
    const saved = parseSavedView(saveTableView(busyView(), 'admin', 300, undefined));
    expect(restoreTableView(saved, 'admin', '5', undefined, 'id').scrollTop).toBe(300);
    const { view, scrollTop } = restoreTableView(saved, 'admin', '42', undefined, 'id');
    expect(scrollTop).toBe(0);
    expect(view).toMatchObject({ seek: '42', seekPending: true, selected: undefined, filters: [{ column: 'customer', op: 'contains', value: 'Ada' }] });
  });

  it('without a kept view the table opens fresh, at the address key, in its default order', () => {
    expect(restoreTableView(undefined, 'admin', '9', { column: 'audit_id', order: 'desc' }, 'audit_id')).toEqual({
      view: initialBrowseView('9', { column: 'audit_id', order: 'desc' }),
      scrollTop: 0,
    });
  });

  it('a view kept as another subject (view as) is not restored: that subject sees other rows', () => {
    const saved = parseSavedView(saveTableView(busyView(), 'user:u_bob', 300, undefined));
    expect(restoreTableView(saved, 'admin', undefined, undefined, 'id')).toEqual({ view: initialBrowseView(undefined, undefined), scrollTop: 0 });
  });

  it('a stored view of another shape (an older version, a hand-edited store) is ignored, not trusted', () => {
    expect(parseSavedView({ filters: 'all' })).toBeUndefined();
    expect(parseSavedView({ subject: 'admin', filters: [], seekMissed: false, scrollTop: -1 })).toBeUndefined();
    expect(parseSavedView(null)).toBeUndefined();
  });
});
