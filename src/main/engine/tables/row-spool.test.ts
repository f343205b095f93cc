import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserId } from '../../../shared/keys/user-id';
import type { Engine } from '../engine';
import { ValidationError } from '../errors';
import { RowSpool, type SpooledRow } from './row-spool';
import type { SharedTableStore } from './shared/shared-table-store';
import { ADMIN, addUsers, expectError, SYSTEM_SUBJECT, testEngine, tid, uid } from './testing.test-support';

let engine: Engine;
let dir: string;
beforeEach(() => {
  engine = testEngine();
  dir = mkdtempSync(join(tmpdir(), 'kalam-row-spool-'));
});
afterEach(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every column type; text keys (unicode ones too). */
function allTypes(name: string): SharedTableStore {
  engine.ddl.createTable(SYSTEM_SUBJECT, {
    namespace: 'app',
    name,
    type: 'shared',
    access_level: 'public',
    columns: [
      { name: 'id', type: 'text', primary_key: true },
      { name: 'n', type: 'integer', nullable: false },
      { name: 'd', type: 'double' },
      { name: 'b', type: 'boolean' },
      { name: 'ts', type: 'timestamp' },
      { name: 'j', type: 'json' },
      { name: 'by', type: 'bytes' },
      { name: 't', type: 'text', default: 'dflt' },
    ],
  });
  return engine.data.shared(tid(`app.${name}`));
}

const rowArb = fc.record(
  {
    n: fc.maxSafeInteger(),
    d: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
    b: fc.option(fc.boolean()),
    ts: fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 })),
    j: fc.option(fc.jsonValue({ maxDepth: 2 })),
    by: fc.option(fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a).toString('base64'))),
    t: fc.option(fc.string({ unit: 'binary', maxLength: 30 })),
  },
  { requiredKeys: ['n'] },
);
/** Rows the table takes (a "__proto__" key in a json value it refuses). */
const validRowArb = rowArb.filter((r) => !JSON.stringify(r.j ?? null).includes('"__proto__"'));
const strip = (row: Record<string, unknown> | undefined) => {
  const { _seq, ...rest } = row ?? {};
  return rest;
};

describe('RowSpool', () => {
  it('reads back what it was given, validated: line, owner, RowId and values, across chunk boundaries (property)', () => {
    const store = allTypes('spooled');
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            line: fc.nat({ max: 2 ** 40 }),
            owner: fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: undefined }),
            // Some rows far larger than a chunk of the file.
            big: fc.boolean(),
            id: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
            values: rowArb,
          }),
          { maxLength: 60 },
        ),
        (rows) => {
          const spool = new RowSpool(store.schema, join(dir, 'p.spool'));
          try {
            const expected = rows.flatMap((r, i) => {
              const values = { ...r.values, id: `${r.id}#${i}`, ...(r.big && i % 7 === 0 ? { t: 'é'.repeat(50_000) } : {}) };
              let valid: Record<string, unknown>;
              try {
                valid = store.schema.validate(values);
              } catch {
                // What the table refuses (a "__proto__" key in a json value) is refused here too.
                expect(() => spool.push(r.line, r.owner as UserId | undefined, values)).toThrow(ValidationError);
                return [];
              }
              spool.push(r.line, r.owner as UserId | undefined, values);
              // As stored: JSON (-0 is 0).
              return [{ line: r.line, owner: r.owner, values: JSON.parse(JSON.stringify(valid)) as Record<string, unknown> }];
            });
            expect(spool.count).toBe(expected.length);
            const back = [...spool.batches()].flat();
            expect(back.map((r) => ({ line: r.line, owner: r.owner, values: r.values() }))).toEqual(expected);
            back.forEach((r, i) => expect(Buffer.from(r.rowId).equals(Buffer.from(store.schema.rowIdOfRow(expected[i]!.values)))).toBe(true));
          } finally {
            spool.remove();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses a row the table refuses, naming the field, and spools nothing of it', () => {
    const store = allTypes('refused');
    const spool = new RowSpool(store.schema, join(dir, 'r.spool'));
    spool.push(1, undefined, { id: 'a', n: 1 });
    expect(() => spool.push(2, undefined, { id: 'b', n: 1.5 })).toThrow(ValidationError);
    expect(() => spool.push(3, undefined, { id: 'c', n: 1, nope: 2 })).toThrow(/unknown column/);
    // A key that is not encodable (a lone surrogate) is refused here, not at the write.
    expect(() => spool.push(4, undefined, { id: '\uD800', n: 1 })).toThrow(ValidationError);
    expect(spool.count).toBe(1);
    expect([...spool.batches()].flat().map((r) => r.line)).toEqual([1]);
    spool.remove();
  });
});

describe('KeyedTableStore.insertSpooled', () => {
  it('stores the same rows insertRows stores from the same values (property)', () => {
    const spooled = allTypes('a');
    const inserted = allTypes('b');
    let n = 0;
    fc.assert(
      fc.property(fc.array(validRowArb, { maxLength: 300 }), (rows) => {
        const values = rows.map((r) => ({ ...r, id: `k${n++}` }));
        const spool = new RowSpool(spooled.schema, join(dir, 'i.spool'));
        try {
          values.forEach((v, i) => spool.push(i + 1, undefined, v));
          const written = [...spool.batches()].reduce((sum, batch) => sum + spooled.insertSpooled(ADMIN, batch), 0);
          expect(written).toBe(values.length);
          expect(inserted.insertRows(ADMIN, values)).toBe(values.length);
          for (const v of values) {
            const a = spooled.getRow(ADMIN, v.id);
            expect(a).toBeDefined();
            expect(strip(a)).toEqual(strip(inserted.getRow(ADMIN, v.id)));
          }
        } finally {
          spool.remove();
        }
      }),
      { numRuns: 25 },
    );
    expect(spooled.countRows(ADMIN)).toBe(inserted.countRows(ADMIN));
  });

  it('is all or nothing, puts rows in their owner’s space, and refuses rows of another table version', () => {
    engine.ddl.createTable(SYSTEM_SUBJECT, {
      namespace: 'app',
      name: 'notes',
      type: 'user',
      columns: [
        { name: 'id', type: 'integer', primary_key: true },
        { name: 'body', type: 'text' },
      ],
    });
    addUsers(engine, 'alice');
    const notes = engine.data.user(tid('app.notes'));
    const spool = new RowSpool(notes.schema, join(dir, 'u.spool'));
    for (let i = 1; i <= 5; i++) spool.push(i, uid('alice'), { id: i, body: `b${i}` });
    const [batch] = [...spool.batches()];
    notes.insertRow(ADMIN, { id: 4, body: 'there' }, { user: uid('alice') });
    expectError(() => notes.insertSpooled(ADMIN, batch!, { user: uid('alice') }), 'ALREADY_EXISTS');
    expect(notes.countRows(ADMIN, { user: uid('alice') })).toBe(1);
    notes.deleteRow(ADMIN, 4, { user: uid('alice') });
    expect(notes.insertSpooled(ADMIN, batch!, { user: uid('alice') })).toBe(5);
    expect(notes.getRow(ADMIN, 4, { user: uid('alice') })?.body).toBe('b4');
    // Only rows a spool made: a look-alike object is refused.
    const fake = { ...batch![0]!, rowId: batch![0]!.rowId } as unknown as SpooledRow;
    expectError(() => notes.insertSpooled(ADMIN, [fake], { user: uid('alice') }), 'CONFLICT');
    // After an ALTER the spooled rows (checked against the old columns) are refused.
    engine.ddl.alterTable(ADMIN, 'app.notes', { action: 'add_column', column: { name: 'prio', type: 'integer', nullable: false, default: 1 } });
    const altered = engine.data.user(tid('app.notes'));
    expectError(() => altered.insertSpooled(ADMIN, batch!, { user: uid('alice') }), 'CONFLICT');
    spool.remove();
  });
});
