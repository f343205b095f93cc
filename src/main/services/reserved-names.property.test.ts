import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { columnNameProblem } from '../../shared/ddl';
import { lowerCased } from '../../shared/keys/rules';
import { TableIdKey } from '../../shared/keys/table-id';
import { expectError, type Harness, openHarness, snapshot } from './test-support';

/**
 * Names every JavaScript object answers to (Object.prototype's, and "prototype") as column names
 * and as keys of row values, against create, update and read; plus random names. A column named
 * "constructor" once made rows.create fail with "must be text, got a function" and hid the
 * column in rows written before it was added.
 */
const OBJECT_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

const names = fc.oneof(
  fc.constantFrom(...OBJECT_NAMES),
  fc.constantFrom(...OBJECT_NAMES.map((n) => n.toLowerCase())),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/),
);

/** `{ [name]: value }` as an own property whatever the name (an object literal with "__proto__" would set the prototype). */
const withKey = (base: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> =>
  Object.fromEntries([...Object.entries(base), [name, value]]);

let h: Harness;
let n = 0;
beforeEach(async () => {
  h = openHarness();
  await h.client.ddl.createNamespace({ name: 'app' });
  await h.client.ddl.createTable({
    namespace: 'app',
    name: 'fixed',
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'integer', primary_key: true },
      { name: 'note', type: 'text' },
    ],
  });
  await h.client.rows.create({ table: 'app.fixed', values: { id: 0, note: 'zero' } });
});
afterEach(() => h.close());

const issuesOf = (e: { data?: unknown }) => (e.data as { issues: { field: string; message: string }[] }).issues;

describe('names that collide with JavaScript object properties', () => {
  it('as column names: refused with the reason, or (when allowed) created, written, updated and read back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(names, async (typed) => {
        const table = `t${++n}`;
        const name = lowerCased(typed);
        const problem = columnNameProblem(name);
        const create = h.client.ddl.createTable({
          namespace: 'app',
          name: table,
          type: 'shared',
          access_level: 'public',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: typed, type: 'text' },
          ],
        });
        if (problem !== undefined) {
          const before = snapshot(h.engine);
          const e = await expectError(create, 'VALIDATION');
          expect(issuesOf(e)).toContainEqual({ field: 'columns.1.name', message: problem });
          if (OBJECT_NAMES.some((o) => o.toLowerCase() === name)) expect(problem).toMatch(/is reserved: every JavaScript object has a property "/);
          expect(snapshot(h.engine)).toEqual(before);
          return;
        }
        if (name === 'id') {
          await expectError(create, 'VALIDATION');
          return;
        }
        await create;
        const ref = `app.${table}`;
        await h.client.rows.create({ table: ref, values: withKey({ id: 1 }, name, 'one') });
        await h.client.rows.create({ table: ref, values: { id: 2 } });
        const one = await h.client.rows.get({ table: ref, key: '1' });
        expect(Object.hasOwn(one.row.values, name) && one.row.values[name]).toBe('one');
        await h.client.rows.update({ table: ref, key: '1', values: withKey({}, name, 'uno'), version: one.version });
        const page = await h.client.rows.page({ table: ref, request: { limit: 10 } });
        expect(page.rows.map((r) => [r.key, r.values[name]])).toEqual([
          ['1', 'uno'],
          ['2', null],
        ]);
      }),
      { numRuns: 60 },
    );
  });

  it('as keys of row values: refused with a clear message naming the key, on create and update; nothing changes', async () => {
    const { version } = await h.client.rows.get({ table: 'app.fixed', key: '0' });
    await fc.assert(
      fc.asyncProperty(names, async (key) => {
        fc.pre(key !== 'id' && key !== 'note');
        const before = snapshot(h.engine);
        const created = await expectError(h.client.rows.create({ table: 'app.fixed', values: withKey({ id: 1, note: 'x' }, key, 'v') }), 'VALIDATION');
        const updated = await expectError(
          h.client.rows.update({ table: 'app.fixed', key: '0', values: withKey({ note: 'y' }, key, 'v'), version }),
          'VALIDATION',
        );
        for (const e of [created, updated]) {
          const expected =
            key === '__proto__'
              ? { field: 'values', message: '"__proto__" is not a name: JavaScript reserves it' }
              : { field: key, message: key.startsWith('_') ? 'is a system column, set by the engine' : 'unknown column' };
          expect(issuesOf(e)).toEqual([expected]);
        }
        expect(snapshot(h.engine)).toEqual(before);
        const row = await h.client.rows.get({ table: 'app.fixed', key: '0' });
        expect(row.row.values).toEqual({ id: 0, note: 'zero', _seq: expect.any(Number) as number });
      }),
      { numRuns: 80 },
    );
  });

  it('a column named like one (from before DDL refused them) reads its own value only: written, defaulted, added later', async () => {
    const id = TableIdKey.parse('app.fixed');
    // An older table: the name was allowed then. Rows written before the column existed must read null, not a function.
    h.engine.system.tables.update(id, (m) => ({
      ...m,
      columns: [...m.columns, { name: 'constructor', type: 'text', nullable: true, primary_key: false }],
      schema_version: m.schema_version + 1,
    }));
    h.engine.data.schemaChanged();
    expect((await h.client.rows.get({ table: 'app.fixed', key: '0' })).row.values).toEqual({
      id: 0,
      note: 'zero',
      constructor: null,
      _seq: expect.any(Number) as number,
    });
    await h.client.rows.create({ table: 'app.fixed', values: { id: 1 } });
    const made = await h.client.rows.create({ table: 'app.fixed', values: { id: 2, constructor: 'built' } });
    expect(made.row.values.constructor).toBe('built');
    await h.client.rows.update({
      table: 'app.fixed',
      key: '1',
      values: { constructor: 'set later' },
      version: (await h.client.rows.get({ table: 'app.fixed', key: '1' })).version,
    });
    const page = await h.client.rows.page({ table: 'app.fixed', request: { limit: 10, filters: [{ column: 'constructor', op: 'not_null' }] } });
    expect(page.rows.map((r) => [r.key, r.values.constructor])).toEqual([
      ['1', 'set later'],
      ['2', 'built'],
    ]);
    const e = await expectError(h.client.rows.create({ table: 'app.fixed', values: { id: 3, constructor: 7 } }), 'VALIDATION');
    expect(issuesOf(e)).toEqual([{ field: 'constructor', message: 'must be text, got a number' }]);
  });
});
