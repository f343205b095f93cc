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
    const { view: back, scrollTop } = restoreTableView(saved, 'admin', undefined, undefined);
    // Its anchor is sought again (the rows loaded from it set where the grid scrolls), the rest as it was.
    expect(back).toEqual({ ...view, seekPending: true });
    expect(scrollTop).toBe(0);
    expect(saved?.widths).toEqual(widths);
    // Without an anchor the kept scroll offset comes back.
    const plain = browseView(view, { type: 'seek', key: undefined, keyColumn: 'id' });
    expect(restoreTableView(parseSavedView(saveTableView(plain, 'admin', 912.4, widths)), 'admin', undefined, undefined).scrollTop).toBe(912);
  });

  it('the same key in the address restores the view; a link to another key opens afresh there (the kept filters could hide it)', () => {
    const saved = parseSavedView(saveTableView(busyView(), 'admin', 300, undefined));
    expect(restoreTableView(saved, 'admin', '5', undefined).view).toMatchObject({ seek: '5', seekPending: true, filters: busyView().filters });
    expect(restoreTableView(saved, 'admin', '42', undefined)).toEqual({ view: initialBrowseView('42', undefined), scrollTop: 0, openedAt: '42' });
  });

  it("the tab's own address comes back to its view, even after the anchor it was opened at was cleared", () => {
    const opened = restoreTableView(undefined, 'admin', '42', undefined);
    const filtered = browseView(opened.view, { type: 'filter', filters: [{ column: 'customer', op: 'contains', value: 'Ada' }] });
    const saved = parseSavedView(saveTableView(filtered, 'admin', 90, undefined, opened.openedAt));
    const back = restoreTableView(saved, 'admin', '42', undefined);
    expect(back).toEqual({ view: { ...filtered, seekPending: false }, scrollTop: 90, openedAt: '42' });
  });

  it('without a kept view the table opens fresh, at the address key, in its default order', () => {
    expect(restoreTableView(undefined, 'admin', '9', { column: 'audit_id', order: 'desc' })).toEqual({
      view: initialBrowseView('9', { column: 'audit_id', order: 'desc' }),
      scrollTop: 0,
      openedAt: '9',
    });
  });

  it('a view kept as another subject (view as) is not restored: that subject sees other rows', () => {
    const saved = parseSavedView(saveTableView(busyView(), 'user:u_bob', 300, undefined));
    expect(restoreTableView(saved, 'admin', undefined, undefined)).toEqual({
      view: initialBrowseView(undefined, undefined),
      scrollTop: 0,
      openedAt: undefined,
    });
  });

  it('a stored view of another shape (an older version, a hand-edited store) is ignored, not trusted', () => {
    expect(parseSavedView({ filters: 'all' })).toBeUndefined();
    expect(parseSavedView({ subject: 'admin', filters: [], seekMissed: false, scrollTop: -1 })).toBeUndefined();
    expect(parseSavedView(null)).toBeUndefined();
  });
});
