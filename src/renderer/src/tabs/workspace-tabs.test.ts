import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeTab, followAddress, keepView, singleTab, tabPlace, type TabsState, TabsStateSchema, tabTitle } from './workspace-tabs';

const hrefs = (s: TabsState) => s.tabs.map((t) => t.href);
const active = (s: TabsState) => s.tabs.find((t) => t.id === s.active)?.href;

describe('workspace tabs', () => {
  it("keeps a place's view on its tab through address changes, and drops it with the tab", () => {
    let s = followAddress(singleTab('#/'), '#/table/demo.products');
    s = keepView(s, 'table:demo.products', { filters: ['kept'] });
    expect(keepView(s, 'table:demo.notes', {})).toBe(s);
    s = followAddress(s, '#/jobs');
    s = followAddress(s, '#/table/demo.products/at/3');
    expect(s.tabs.find((t) => tabPlace(t.href) === 'table:demo.products')?.view).toEqual({ filters: ['kept'] });
    expect(TabsStateSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
    s = closeTab(s, s.active);
    expect(s.tabs.some((t) => t.view !== undefined)).toBe(false);
  });

  it('opens a new place in a new tab after the current one, and goes back to a place already open', () => {
    let s = singleTab('#/');
    s = followAddress(s, '#/table/demo.products');
    s = followAddress(s, '#/jobs');
    expect(hrefs(s)).toEqual(['#/', '#/table/demo.products', '#/jobs']);
    s = followAddress(s, '#/table/demo.products/at/42');
    // The same table at another key: its tab, at the new address, not a second tab.
    expect(hrefs(s)).toEqual(['#/', '#/table/demo.products/at/42', '#/jobs']);
    expect(active(s)).toBe('#/table/demo.products/at/42');
    s = followAddress(s, '#/namespace/demo');
    expect(hrefs(s)).toEqual(['#/', '#/table/demo.products/at/42', '#/namespace/demo', '#/jobs']);
    s = followAddress(s, '#/jobs/j1');
    expect(hrefs(s)).toEqual(['#/', '#/table/demo.products/at/42', '#/namespace/demo', '#/jobs/j1']);
  });

  it('closing the current tab makes the next one current (else the previous); closing the last leaves the Overview', () => {
    let s = singleTab('#/table/a.b');
    s = followAddress(s, '#/table/a.c');
    s = followAddress(s, '#/table/a.d');
    const [first, second] = s.tabs;
    s = followAddress(s, '#/table/a.c');
    s = closeTab(s, second!.id);
    expect(hrefs(s)).toEqual(['#/table/a.b', '#/table/a.d']);
    expect(active(s)).toBe('#/table/a.d');
    s = closeTab(s, s.active);
    expect(active(s)).toBe('#/table/a.b');
    expect(closeTab(s, 'no such tab')).toBe(s);
    s = closeTab(s, first!.id);
    expect(hrefs(s)).toEqual(['#/']);
  });

  it('names tabs by their place', () => {
    expect(tabTitle('#/table/demo.products/at/3')).toBe('demo.products');
    expect(tabTitle('#/namespace/demo')).toBe('Namespace demo');
    expect(tabTitle('#/jobs/j1')).toBe('Jobs');
    expect(tabTitle('#/indexes/system.users/username')).toBe('Indexes');
    expect(tabTitle('#/')).toBe('Overview');
    expect(tabPlace('#/indexes/system.users/username')).toBe(tabPlace('#/indexes'));
  });

  it('any sequence of openings and closings keeps one tab per place, a current tab among them, and a valid stored form', () => {
    const address = fc.constantFrom('#/', '#/jobs', '#/jobs/j1', '#/indexes', '#/table/a.b', '#/table/a.b/at/1', '#/table/a.c', '#/namespace/n');
    const step = fc.oneof(
      address.map((href) => ({ open: href })),
      fc.nat(10).map((i) => ({ close: i })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let s = singleTab('#/');
        for (const st of steps) s = 'open' in st ? followAddress(s, st.open) : closeTab(s, s.tabs[st.close % s.tabs.length]!.id);
        const places = s.tabs.map((t) => tabPlace(t.href));
        expect(new Set(places).size).toBe(places.length);
        expect(TabsStateSchema.safeParse(JSON.parse(JSON.stringify(s))).success).toBe(true);
      }),
    );
  });

  it('refuses a stored state whose current tab is missing', () => {
    expect(TabsStateSchema.safeParse({ tabs: [{ id: 'a', href: '#/' }], active: 'b' }).success).toBe(false);
    expect(TabsStateSchema.safeParse({ tabs: [], active: 'a' }).success).toBe(false);
  });
});

describe('following the address', () => {
  it("keeps the very same state when the address is the current tab's already (a tab click is followed twice: at once, then by the hashchange event)", () => {
    const s = followAddress(followAddress(singleTab('#/'), '#/table/demo.products'), '#/jobs');
    const back = followAddress(s, '#/table/demo.products');
    expect(followAddress(back, '#/table/demo.products')).toBe(back);
    expect(followAddress(back, '#/table/demo.products/at/3')).not.toBe(back);
  });
});
