import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { ADMIN, as, tid, todoTable } from '../tables/testing.test-support';
import { runFlush } from './flush-job';
import { testJobContext } from './testing/flush.test-support';
import { codeOf, useTestEngine } from './testing/test-engine.test-support';

/**
 * Random interleavings of inserts, upserts, updates, deletes, flushes and reads against a plain Map:
 * whatever lives hot, flushed, or in both, the visible table is the model's.
 */
type Op =
  | { kind: 'insert' | 'upsert'; user: number; id: number; title: string }
  | { kind: 'update'; user: number; id: number; title: string }
  | { kind: 'delete'; user: number; id: number }
  | { kind: 'flush'; groupRows: number }
  | { kind: 'read'; user: number; id: number };

const USERS = ['alice', 'alice2', 'bob'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('insert' as const, 'upsert' as const),
      user: fc.nat(2),
      id: fc.integer({ min: -5, max: 25 }),
      title: fc.string({ maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('update' as const), user: fc.nat(2), id: fc.integer({ min: -5, max: 25 }), title: fc.string({ maxLength: 6 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), user: fc.nat(2), id: fc.integer({ min: -5, max: 25 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), groupRows: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), user: fc.nat(2), id: fc.integer({ min: -5, max: 25 }) }) },
);

const env = useTestEngine('all');
let run = 0;

describe('flush property', () => {
  it('shared tables: the visible table matches a Map model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const name = `p${run++}`;
        env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('shared', name));
        const label = `app.${name}`;
        const store = env.engine.data.shared(tid(label));
        const provider = env.engine.data.provider(tid(label));
        const model = new Map<number, string>();
        const check = () => {
          const expected = [...model.entries()].sort((a, b) => a[0] - b[0]);
          expect([...store.scanRows(SYSTEM_SUBJECT)].map(([, r]) => [r.id, r.title])).toEqual(expected);
          expect(provider.browse(ADMIN, { limit: 1000, sort: { column: 'id', order: 'desc' } }).rows.map((r) => r.values.id)).toEqual(
            expected.map(([id]) => id).reverse(),
          );
          expect(store.countRows(SYSTEM_SUBJECT)).toBe(model.size);
        };
        for (const op of ops) {
          switch (op.kind) {
            case 'insert': {
              const code = codeOf(() => store.insertRow(SYSTEM_SUBJECT, { id: op.id, title: op.title }));
              expect(code).toBe(model.has(op.id) ? 'ALREADY_EXISTS' : undefined);
              if (!code) model.set(op.id, op.title);
              break;
            }
            case 'upsert':
              store.upsertRow(SYSTEM_SUBJECT, { id: op.id, title: op.title });
              model.set(op.id, op.title);
              break;
            case 'update': {
              const current = store.getRow(SYSTEM_SUBJECT, op.id);
              const code = codeOf(() => store.updateRow(SYSTEM_SUBJECT, op.id, { title: op.title }, { expectedSeq: current?._seq }));
              expect(code).toBe(model.has(op.id) ? undefined : 'NOT_FOUND');
              if (!code) model.set(op.id, op.title);
              break;
            }
            case 'delete':
              expect(store.deleteRow(SYSTEM_SUBJECT, op.id)).toBe(model.delete(op.id));
              break;
            case 'flush':
              await runFlush(env.engine, { table: label, rowGroupRows: op.groupRows }, testJobContext());
              check();
              break;
            case 'read': {
              expect(store.getRow(SYSTEM_SUBJECT, op.id)?.title).toBe(model.get(op.id));
              expect(provider.get(ADMIN, String(op.id))?.values.title).toBe(model.get(op.id));
              // A bounded range both ways: (id - 4, id + 3), seeks inside segments and across them.
              const inRange = [...model.keys()].filter((k) => k > op.id - 4 && k < op.id + 3).sort((a, b) => a - b);
              expect([...store.scanRows(SYSTEM_SUBJECT, { after: op.id - 4, before: op.id + 3 })].map(([, r]) => r.id)).toEqual(inRange);
              expect([...store.scanRows(SYSTEM_SUBJECT, { after: op.id - 4, before: op.id + 3, reverse: true })].map(([, r]) => r.id)).toEqual(
                [...inRange].reverse(),
              );
              expect([...store.scanRows(SYSTEM_SUBJECT, { from: op.id, limit: 2 })].map(([, r]) => r.id)).toEqual(
                [...model.keys()]
                  .filter((k) => k >= op.id)
                  .sort((a, b) => a - b)
                  .slice(0, 2),
              );
              break;
            }
          }
        }
        check();
      }),
      { numRuns: 40 },
    );
  });

  it('user tables: each user sees their own model, the admin sees all', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), async (ops) => {
        const name = `u${run++}`;
        env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable('user', name));
        const label = `app.${name}`;
        const store = env.engine.data.user(tid(label));
        const provider = env.engine.data.provider(tid(label));
        const models = USERS.map(() => new Map<number, string>());
        const check = () => {
          USERS.forEach((u, i) => {
            const expected = [...models[i]!.entries()].sort((a, b) => a[0] - b[0]);
            expect([...store.scanRows(as(u))].map(([, r]) => [r.id, r.title])).toEqual(expected);
            expect(provider.browse(as(u), { limit: 1000 }).rows.map((r) => r.key)).toEqual(expected.map(([id]) => `${u}/${id}`));
            expect(store.countRows(as(u))).toBe(expected.length);
          });
          expect(provider.count(ADMIN)).toBe(models.reduce((n, m) => n + m.size, 0));
          const all = USERS.flatMap((u, i) => [...models[i]!.keys()].sort((a, b) => a - b).map((id) => `${u}/${id}`));
          expect(provider.browse(ADMIN, { limit: 1000 }).rows.map((r) => r.key)).toEqual(all);
        };
        for (const op of ops) {
          const user = 'user' in op ? as(USERS[op.user]!) : ADMIN;
          const model = 'user' in op ? models[op.user]! : undefined;
          switch (op.kind) {
            case 'insert': {
              const code = codeOf(() => store.insertRow(user, { id: op.id, title: op.title }));
              expect(code).toBe(model!.has(op.id) ? 'ALREADY_EXISTS' : undefined);
              if (!code) model!.set(op.id, op.title);
              break;
            }
            case 'upsert':
              store.upsertRow(user, { id: op.id, title: op.title });
              model!.set(op.id, op.title);
              break;
            case 'update': {
              const code = codeOf(() => store.updateRow(user, op.id, { title: op.title }));
              expect(code).toBe(model!.has(op.id) ? undefined : 'NOT_FOUND');
              if (!code) model!.set(op.id, op.title);
              break;
            }
            case 'delete':
              expect(store.deleteRow(user, op.id)).toBe(model!.delete(op.id));
              break;
            case 'flush':
              await runFlush(env.engine, { table: label, rowGroupRows: op.groupRows }, testJobContext());
              check();
              break;
            case 'read':
              expect(store.getRow(user, op.id)?.title).toBe(model!.get(op.id));
              break;
          }
        }
        check();
      }),
      { numRuns: 30 },
    );
  });
});
