/**
 * RowValidator validates rows with their table's schema compiled by zod (compiledSchema). Here the
 * compiled schema is held to the plain one for random tables and random rows: the same rows
 * accepted with the same output (column order, defaults, fresh json defaults), the same refused
 * with the same issues.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../shared/browse';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { compiledSchema } from '../codec/value-codec';
import { rowSchema, RowValidator } from './row-schema';

const TYPES: readonly ColumnType[] = ['text', 'integer', 'double', 'boolean', 'timestamp', 'json', 'bytes'];

/** Per type: values of the type, values just outside it, and values of other types. */
const VALUES: readonly unknown[] = [
  'text',
  '',
  'AAE=',
  'not base64!',
  0,
  -5,
  7,
  1.5,
  -0,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  null,
  undefined,
  [],
  [1, null],
  {},
  { tags: ['a'] },
  { nested: { deep: [{}] } },
];

const columnArb: fc.Arbitrary<ColumnDefinition> = fc.record(
  {
    name: fc.constantFrom('id', 'title', 'score', 'done', 'at', 'meta', 'blob', 'note', 'constructor'),
    type: fc.constantFrom(...TYPES),
    nullable: fc.boolean(),
    primary_key: fc.constant(false),
    default: fc.constantFrom<unknown>('d', 3, 2.5, true, { tags: [] }, [1]),
  },
  { requiredKeys: ['name', 'type', 'nullable', 'primary_key'] },
) as fc.Arbitrary<ColumnDefinition>;

const columnsArb = fc.uniqueArray(columnArb, { minLength: 1, maxLength: 6, selector: (c) => c.name });

/** A row for these columns: each column given a value from VALUES or left out, maybe an extra column. */
const rowArb = (columns: readonly ColumnDefinition[]) =>
  fc
    .tuple(
      fc.array(fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 4 }), { minLength: columns.length, maxLength: columns.length }),
      fc.option(fc.constantFrom('extra', '_seq', '_deleted'), { nil: undefined, freq: 3 }),
      fc.boolean(),
    )
    .map(([values, extra, reversed]) => {
      const entries = columns.flatMap((c, i) => (values[i] === undefined ? [] : [[c.name, values[i]] as const]));
      if (reversed) entries.reverse();
      const row: Record<string, unknown> = Object.fromEntries(entries);
      if (extra !== undefined) row[extra] = 1;
      return row;
    });

describe('RowValidator with the compiled row schema', () => {
  it('compiles every table: each column type, nullable or not, with or without a default', () => {
    fc.assert(
      fc.property(columnsArb, (columns) => {
        const schema = rowSchema(columns);
        expect(compiledSchema(schema)).not.toBe(schema);
      }),
    );
  });

  it('accepts and refuses what the plain schema does, with the same output and issues (property)', () => {
    fc.assert(
      fc.property(
        columnsArb.chain((columns) => fc.tuple(fc.constant(columns), rowArb(columns), fc.boolean())),
        ([columns, row, nullPrototype]) => {
          // RowValidator passes a null-prototype copy when a column is named like an inherited property.
          const input: unknown = nullPrototype ? Object.assign(Object.create(null) as object, row) : row;
          const plain = rowSchema(columns).safeParse(input);
          const fast = compiledSchema(rowSchema(columns)).safeParse(input);
          expect(fast.success).toBe(plain.success);
          if (plain.success && fast.success) {
            expect(JSON.stringify(fast.data)).toBe(JSON.stringify(plain.data));
            expect(Object.keys(fast.data)).toEqual(columns.map((c) => c.name));
          } else {
            const issues = (e: typeof plain.error) => e?.issues.map((i) => ({ code: i.code, path: i.path, message: i.message }));
            expect(issues(fast.error)).toEqual(issues(plain.error));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives every row its own copy of a json default', () => {
    const validator = new RowValidator('app.things', [
      { name: 'id', type: 'integer', nullable: false, primary_key: true },
      { name: 'meta', type: 'json', nullable: false, primary_key: false, default: { tags: [] } },
    ]);
    const a = validator.validate({ id: 1 });
    const b = validator.validate({ id: 2 });
    expect(a.meta).toEqual({ tags: [] });
    expect(a.meta).not.toBe(b.meta);
  });
});
