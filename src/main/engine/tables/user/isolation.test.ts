/**
 * The isolation property of user tables: whatever the user ids (prefixes of each other, dots,
 * spaces, non-ASCII, astral characters) and whatever the row keys (including the bytes the key
 * encoding escapes), every read made for user A (scan, bounded scan, count, get, provider pages,
 * provider get, even with B's cursors and seek keys) returns exactly A's live rows.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowPage } from '../../../../shared/browse';
import { RowIdKey } from '../../../../shared/keys/row-id';
import { idProblem } from '../../../../shared/keys/rules';
import type { Engine } from '../../engine';
import { ADMIN, as, SYSTEM_SUBJECT, testEngine, tid, uid } from '../testing.test-support';

const idChar = fc.constantFrom('a', 'b', '2', '.', ' ', '_', '-', ':', '@', 'é', 'e', '\u00ff', '中', '\u{1f600}');
const userIdArb = fc
  .oneof(
    { weight: 1, arbitrary: fc.constantFrom('a', 'a2', 'a.b', 'a b', 'é', 'e', 'ab', 'b') },
    { weight: 3, arbitrary: fc.string({ unit: idChar, minLength: 1, maxLength: 4 }) },
  )
  .filter((s) => idProblem(s) === undefined);

/** A few users, often with one a prefix of another (the generator's alphabet is small on purpose). */
const usersArb = fc.uniqueArray(userIdArb, { minLength: 2, maxLength: 6 });

const intKeyArb = fc.integer({ min: -5, max: 30 });
const textKeyArb = fc.string({ unit: fc.constantFrom('a', '\u0000', '\u0001', '\u00ff', 'é', '/', '"', '1'), maxLength: 4 });

interface Scenario<K> {
  users: string[];
  /** Per user: keys written, then keys deleted. */
  rows: { keys: K[]; deletes: K[] }[];
  limit: number;
}

function scenarioArb<K>(keyArb: fc.Arbitrary<K>): fc.Arbitrary<Scenario<K>> {
  return usersArb.chain((users) =>
    fc.record({
      users: fc.constant(users),
      rows: fc.array(
        fc.uniqueArray(keyArb, { maxLength: 12 }).chain((keys) => fc.record({ keys: fc.constant(keys), deletes: fc.subarray(keys) })),
        { minLength: users.length, maxLength: users.length },
      ),
      limit: fc.integer({ min: 1, max: 7 }),
    }),
  );
}

let engine: Engine;
let tables = 0;
beforeAll(() => {
  engine = testEngine();
});
afterAll(() => engine.close());

function walk(browse: (cursor?: string) => RowPage): RowPage[] {
  const pages = [browse()];
  while (pages[pages.length - 1]!.next !== undefined) {
    pages.push(browse(pages[pages.length - 1]!.next));
    if (pages.length > 500) throw new Error('runaway pagination');
  }
  return pages;
}

function checkIsolation<K extends number | string>(keyType: 'integer' | 'text', scenario: Scenario<K>): void {
  const name = `iso_${tables++}`;
  engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'app',
    name,
    type: 'user',
    columns: [
      { name: 'k', type: keyType, primary_key: true },
      { name: 'owner', type: 'text', nullable: false },
    ],
  });
  const id = tid(`app.${name}`);
  const store = engine.data.user(id);
  const provider = engine.data.provider(id);
  const live = new Map<string, Set<K>>();
  scenario.users.forEach((user, i) => {
    const { keys, deletes } = scenario.rows[i]!;
    store.insertRows(
      as(user),
      keys.map((k) => ({ k, owner: user })),
    );
    for (const k of deletes) store.deleteRow(as(user), k);
    live.set(user, new Set(keys.filter((k) => !deletes.includes(k))));
  });

  const cursorsOf = new Map<string, string[]>();
  for (const user of scenario.users) {
    const pages = walk((cursor) => provider.browse(as(user), { limit: scenario.limit, ...(cursor ? { cursor } : {}) }));
    cursorsOf.set(
      user,
      pages.flatMap((p) => [p.next, p.prev]).filter((c): c is string => c !== undefined),
    );
  }

  for (const user of scenario.users) {
    const subject = as(user);
    const expected = live.get(user)!;
    // store scans
    const scanned = [...store.scanRows(subject)];
    expect(scanned.every(([key, row]) => key.user === user && row.owner === user)).toBe(true);
    expect(new Set(scanned.map(([, row]) => row.k as K))).toEqual(expected);
    expect(scanned.length).toBe(expected.size);
    expect(store.countRows(subject)).toBe(expected.size);
    expect(store.countRows(subject, { cap: 2 })).toBe(Math.min(2, expected.size));
    const reversed = [...store.scanRows(subject, { reverse: true, limit: scenario.limit })];
    expect(reversed.every(([key]) => key.user === user)).toBe(true);
    // provider pages, forward and backward
    const pages = walk((cursor) => provider.browse(subject, { limit: scenario.limit, ...(cursor ? { cursor } : {}) }));
    const rows = pages.flatMap((p) => p.rows);
    expect(rows.every((r) => r.values._user === user && r.values.owner === user && r.key.startsWith(`${user}/`))).toBe(true);
    expect(rows.length).toBe(expected.size);
    expect(provider.count(subject)).toBe(expected.size);
    const back = walk((cursor) => provider.browse(subject, { limit: scenario.limit, direction: 'backward', ...(cursor ? { cursor } : {}) }));
    expect(back.flatMap((p) => p.rows).every((r) => r.values._user === user)).toBe(true);

    for (const other of scenario.users) {
      if (other === user) continue;
      // point reads of the other user's keys return this user's row or nothing
      for (const k of live.get(other)!) {
        expect(store.getRow(subject, k)?.owner ?? user).toBe(user);
        expect(provider.get(subject, `${other}/${RowIdKey.display(store.schema.rowIdOf(k))}`)).toBeUndefined();
        // … while the other user reads it by the same text
        expect(provider.get(as(other), `${other}/${RowIdKey.display(store.schema.rowIdOf(k))}`)?.values.owner).toBe(other);
      }
      // another user's cursors and seek keys cannot move the page out of this user's rows
      for (const cursor of cursorsOf.get(other)!) {
        for (const direction of ['forward', 'backward'] as const) {
          const page = provider.browse(subject, { limit: scenario.limit, cursor, direction });
          expect(page.rows.every((r) => r.values._user === user)).toBe(true);
        }
      }
      for (const k of live.get(other)!) {
        const seek = `${other}/${RowIdKey.display(store.schema.rowIdOf(k))}`;
        const page = provider.browse(subject, { limit: scenario.limit, seek });
        expect(page.rows.every((r) => r.values._user === user)).toBe(true);
      }
    }
  }
  // The admin view sees everybody's live rows, each exactly once.
  const total = [...live.values()].reduce((n, s) => n + s.size, 0);
  expect([...store.scanRows(ADMIN)].length).toBe(total);
  expect(store.countRows(ADMIN)).toBe(total);
  engine.ddl.dropTable(SYSTEM_SUBJECT, id);
}

describe('user-table isolation (property)', () => {
  it("integer keys: every read for user A returns exactly A's live rows", () => {
    fc.assert(
      fc.property(scenarioArb(intKeyArb), (s) => checkIsolation('integer', s)),
      { numRuns: 60 },
    );
  });

  it('text keys with escaped bytes and "/": every read for user A returns exactly A\'s live rows', () => {
    fc.assert(
      fc.property(scenarioArb(textKeyArb), (s) => checkIsolation('text', s)),
      { numRuns: 60 },
    );
  });

  it('the classic prefix pairs, spelled out', () => {
    checkIsolation('integer', {
      users: ['a', 'a2', 'a.b', 'é', 'e', 'alice', 'alice2'],
      rows: [0, 1, 2, 3, 4, 5, 6].map((i) => ({ keys: [1, 2, 3, 10 + i], deletes: i % 2 ? [2] : [] })),
      limit: 2,
    });
    expect(uid('a.b')).toBe('a.b');
  });
});
