import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYSTEM_SUBJECT } from '../access/subject';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { codeOf, useTestEngine } from '../flush/testing/test-engine.test-support';
import { ADMIN, as, tid, todoTable } from '../tables/testing.test-support';
import { runCompact } from './compact-job';

/**
 * Random interleavings of inserts, updates, deletes, flushes and compactions against a plain Map:
 * whatever was merged, flushed or left hot, the visible table is the model's, and a compaction
 * leaves at most one segment per scope.
 */
type Op =
  | { kind: 'insert'; user: number; id: number; title: string }
  | { kind: 'update'; user: number; id: number; title: string }
  | { kind: 'delete'; user: number; id: number }
  | { kind: 'flush'; groupRows: number }
  | { kind: 'compact'; groupRows: number };

const USERS = ['alice', 'bob'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('insert' as const), user: fc.nat(1), id: fc.integer({ min: 0, max: 15 }), title: fc.string({ maxLength: 5 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('update' as const), user: fc.nat(1), id: fc.integer({ min: 0, max: 15 }), title: fc.string({ maxLength: 5 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), user: fc.nat(1), id: fc.integer({ min: 0, max: 15 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('flush' as const), groupRows: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('compact' as const), groupRows: fc.integer({ min: 1, max: 5 }) }) },
);

const env = useTestEngine('all');
let run = 0;

/** Segments per scope after a compaction: never more than one. */
function expectOnePerScope(label: string): void {
  const scopes = new Map<string | null, number>();
  for (const e of env.engine.system.manifest.segmentsOf(tid(label))) scopes.set(e.user_id, (scopes.get(e.user_id) ?? 0) + 1);
  for (const n of scopes.values()) expect(n).toBe(1);
}

describe('compact property', () => {
  it('shared and user tables: the visible table matches a Map model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('shared' as const, 'user' as const), fc.array(opArb, { maxLength: 30 }), async (type, ops) => {
        const name = `c${run++}`;
        env.engine.ddl.createTable(SYSTEM_SUBJECT, todoTable(type, name));
        const label = `app.${name}`;
        const store = type === 'shared' ? env.engine.data.shared(tid(label)) : env.engine.data.user(tid(label));
        const provider = env.engine.data.provider(tid(label));
        // The shared table has one model (every "user" writes it as the admin).
        const models = USERS.map(() => new Map<number, string>());
        const subjectOf = (u: number) => (type === 'shared' ? SYSTEM_SUBJECT : as(USERS[u]!));
        const modelOf = (u: number) => (type === 'shared' ? models[0]! : models[u]!);
        const check = () => {
          const scopes = type === 'shared' ? [0] : [0, 1];
          for (const u of scopes) {
            const expected = [...modelOf(u).entries()].sort((a, b) => a[0] - b[0]);
            expect([...store.scanRows(subjectOf(u))].map(([, r]) => [r.id, r.title])).toEqual(expected);
            expect([...store.scanRows(subjectOf(u), { reverse: true })].map(([, r]) => r.id)).toEqual(expected.map(([id]) => id).reverse());
            expect(store.countRows(subjectOf(u))).toBe(expected.length);
            for (let id = 0; id <= 15; id++) expect(store.getRow(subjectOf(u), id)?.title).toBe(modelOf(u).get(id));
          }
          expect(provider.count(ADMIN)).toBe(scopes.reduce((n, u) => n + modelOf(u).size, 0));
        };
        for (const op of ops) {
          switch (op.kind) {
            case 'insert': {
              const model = modelOf(op.user);
              const code = codeOf(() => store.insertRow(subjectOf(op.user), { id: op.id, title: op.title }));
              expect(code).toBe(model.has(op.id) ? 'ALREADY_EXISTS' : undefined);
              if (!code) model.set(op.id, op.title);
              break;
            }
            case 'update': {
              const model = modelOf(op.user);
              const code = codeOf(() => store.updateRow(subjectOf(op.user), op.id, { title: op.title }));
              expect(code).toBe(model.has(op.id) ? undefined : 'NOT_FOUND');
              if (!code) model.set(op.id, op.title);
              break;
            }
            case 'delete':
              expect(store.deleteRow(subjectOf(op.user), op.id)).toBe(modelOf(op.user).delete(op.id));
              break;
            case 'flush':
              await runFlush(env.engine, { table: label, rowGroupRows: op.groupRows }, testJobContext());
              break;
            case 'compact':
              await runCompact(env.engine, { table: label, rowGroupRows: op.groupRows }, testJobContext());
              expectOnePerScope(label);
              check();
              break;
          }
        }
        await runCompact(env.engine, { table: label, rowGroupRows: 3 }, testJobContext());
        expectOnePerScope(label);
        check();
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
