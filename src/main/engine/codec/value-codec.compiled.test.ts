/**
 * ValueCodec validates with zod's compiled fast path (compiledSchema). These tests hold it to
 * zod's own parser: every stored kind compiles (so no kind silently falls back to the slower
 * parser), and on real stored values and random mutations of them, compiled and plain parsing
 * accept and refuse the same values, store the same bytes and report the same issues.
 */
import fc from 'fast-check';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { ScheduleSchema } from '../../../shared/system/schedules';
import { LiveQuerySchema } from '../../../shared/system/live-queries';
import { Engine } from '../engine';
import { rowKind } from '../tables/data-table-store';
import { issuesOf } from '../errors';
import { compiledSchema, type EntityKind } from './value-codec';

const FIXTURE = join(import.meta.dirname, '..', 'testing', 'fixtures', 'schema-v1', 'data');

/** A kind with defaults and optional fields, which no system table has. */
const PersonSchema = z.object({
  id: UserIdSchema,
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(['user', 'service', 'dba', 'system']).default('user'),
  nickname: z.string().min(1).optional(),
});

/**
 * Kinds whose schema has a z.json() field (jobs: parameters and result; audit entries: before and
 * after). Neither is written in bulk (a job row changes a few times a second at most, an audit entry
 * once per edit), so their plain parsing costs nothing that matters.
 */
const UNCOMPILED: ReadonlySet<string> = new Set(['job', 'audit_entry']);

interface Case {
  readonly kind: EntityKind<unknown>;
  readonly samples: readonly unknown[];
}

/** Values that break, or nearly break, the rules of ids, names, emails, timestamps, enums and JSON columns. */
const EDGE_VALUES: readonly unknown[] = [
  null,
  undefined,
  '',
  ' ',
  ' padded ',
  'a/b',
  'a\\b',
  '..',
  'a..b',
  'A',
  'Alice',
  '0start',
  '_under',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(128),
  'x'.repeat(129),
  'x'.repeat(255),
  '\u0000',
  'a\u0085b',
  '\ud800',
  '😀',
  '😀'.repeat(64),
  'not-an-email',
  'a@b.io',
  `${'l'.repeat(65)}@example.com`,
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  'user',
  'dba',
  'anonymous',
  'region',
  'table',
  'password',
  'internal',
  'local',
  'completed',
  0,
  -1,
  1,
  1.5,
  -0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  [],
  [1, 'x'],
  {},
  { a: 1 },
  { __proto__: null, k: 'v' },
];

const valueArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...EDGE_VALUES) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
);

type Path = readonly (string | number)[];

/** Every path into a JSON value: each object field and array element, at any depth. */
function pathsOf(value: unknown, at: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  // Array.from, not map: a mutated array may carry an own "constructor", which map would call.
  const entries: [string | number, unknown][] = Array.isArray(value) ? Array.from(value as unknown[], (v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...at, k], ...pathsOf(v, [...at, k])]);
}

type Mutation =
  { readonly op: 'set'; readonly value: unknown } | { readonly op: 'delete' } | { readonly op: 'add'; readonly key: string; readonly value: unknown };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: valueArb.map((value) => ({ op: 'set' as const, value })) },
  { weight: 2, arbitrary: fc.constant({ op: 'delete' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), key: fc.constantFrom('extra', '_seq', 'constructor', 'user_id'), value: valueArb }) },
);

/** A deep copy of `value` with `mutation` applied at `path` (the root itself when the path is empty). */
function mutate(value: unknown, path: Path, mutation: Mutation): unknown {
  const copy: unknown = structuredClone(value);
  if (path.length === 0) return mutation.op === 'set' ? mutation.value : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mutation.op === 'set') parent[last] = mutation.value;
  else if (mutation.op === 'delete') delete parent[last];
  else if (typeof parent[last] === 'object' && parent[last] !== null) (parent[last] as Record<string, unknown>)[mutation.key] = mutation.value;
  else parent[mutation.key] = mutation.value;
  return copy;
}

/** Compiled and plain parsing of one input agree: same outcome, same stored JSON, same issues. */
function expectSameOutcome(kind: EntityKind<unknown>, input: unknown): void {
  const normalized = kind.normalize ? kind.normalize(input) : input;
  const plain = kind.schema.safeParse(normalized);
  const fast = compiledSchema(kind.schema).safeParse(normalized);
  expect(fast.success).toBe(plain.success);
  if (plain.success && fast.success) {
    expect(JSON.stringify(fast.data)).toBe(JSON.stringify(plain.data));
    // toEqual, not toStrictEqual: a value may hold an own "constructor" key, which the strict type check reads.
    expect(fast.data).toEqual(plain.data);
    expect(fast.data).not.toBe(normalized);
  } else {
    expect(issuesOf(fast.error!)).toEqual(issuesOf(plain.error!));
  }
}

describe('compiled validation', () => {
  let dir: string;
  let engine: Engine;
  let cases: Case[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kalam-compiled-'));
    cpSync(FIXTURE, dir, { recursive: true });
    engine = Engine.openDataDir(dir);
    cases = engine.system.stores().map((store) => ({
      kind: store.valueCodec.entity,
      samples: [...store.scan()].map(([, v]) => v),
    }));
    // The fixture has no live query (they last as long as a connection): one by hand.
    const liveQueries = cases.find((c) => c.kind.schema === LiveQuerySchema)!;
    expect(liveQueries.samples).toEqual([]);
    cases[cases.indexOf(liveQueries)] = {
      kind: liveQueries.kind,
      samples: [
        {
          user_id: 'u_alice',
          connection_id: 'c-1',
          subscription_id: 's-1',
          namespace_id: 'demo',
          table_name: 'notes',
          filter: null,
          status: 'active',
          created_at: 1,
          last_update: 2,
          changes: 0,
        },
      ],
    };
    // The fixture predates system.schedules (schema v1 has no schedule): two by hand, one of each timing.
    const schedules = cases.find((c) => c.kind.schema === ScheduleSchema)!;
    expect(schedules.samples).toEqual([]);
    const schedule = {
      enabled: true,
      timezone: null,
      missed: 'run_once',
      table: null,
      min_segments: null,
      small_mb: null,
      last_run_at: null,
      last_job_id: null,
      last_outcome: null,
      backups: [],
      created_at: 1,
      updated_at: 2,
    };
    cases[cases.indexOf(schedules)] = {
      kind: schedules.kind,
      samples: [
        {
          ...schedule,
          schedule_id: 'nightly',
          kind: 'backup',
          interval_seconds: null,
          cron: '0 3 * * *',
          folder_template: '/backups/kalam-{timestamp}',
          keep_last: 2,
          backups: ['/backups/kalam-1'],
        },
        {
          ...schedule,
          schedule_id: 'compact',
          kind: 'compact',
          interval_seconds: 3600,
          cron: null,
          folder_template: null,
          keep_last: null,
          min_segments: 4,
          small_mb: 8,
        },
      ],
    };
    cases.push(
      { kind: rowKind('demo.products'), samples: [{ _seq: 1, _deleted: false, id: 1, title: 'a', price: 2.5, tags: ['x'] }] },
      {
        kind: { kind: 'person', version: 1, schema: PersonSchema },
        samples: [
          { id: 'alice', name: 'Alice', email: 'alice@example.com' },
          { id: 'bob', name: 'Bob', email: 'bob@example.com', role: 'dba', nickname: 'b' },
        ],
      },
    );
  });

  afterAll(() => {
    engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every system table, each with stored values', () => {
    expect(cases.map((c) => c.kind.kind)).toEqual(expect.arrayContaining(['user', 'person', 'demo.products']));
    expect(cases).toHaveLength(engine.system.stores().length + 2);
    for (const c of cases) expect(c.samples.length, c.kind.kind).toBeGreaterThan(0);
  });

  it('every stored kind compiles to a fast path, but those with z.json() fields', () => {
    for (const { kind } of cases) {
      if (UNCOMPILED.has(kind.kind)) {
        // zod's compiler refuses a recursive schema (z.json() is one) whole: the schema's own parser runs.
        expect(() => z.compile(kind.schema, { strict: true }), kind.kind).toThrow(/reference cycle/);
        expect(compiledSchema(kind.schema), kind.kind).toBe(kind.schema);
      } else {
        expect(() => z.compile(kind.schema, { strict: true }), kind.kind).not.toThrow();
        expect(compiledSchema(kind.schema), kind.kind).not.toBe(kind.schema);
      }
    }
  });

  it('compiles each schema once', () => {
    for (const { kind } of cases) expect(compiledSchema(kind.schema)).toBe(compiledSchema(kind.schema));
  });

  it('accepts every stored value, unchanged', () => {
    for (const { kind, samples } of cases) {
      for (const sample of samples) {
        expectSameOutcome(kind, sample);
        expect(compiledSchema(kind.schema).safeParse(sample).success, `${kind.kind}: ${JSON.stringify(sample)}`).toBe(true);
      }
    }
  });

  it('agrees with zod on random mutations of stored values (property)', () => {
    for (const { kind, samples } of cases) {
      const inputArb = fc
        .constantFrom(...samples)
        .chain((sample) => fc.tuple(fc.constant(sample), fc.constantFrom<Path>([], ...pathsOf(sample)), mutationArb, fc.option(mutationArb)))
        .map(([sample, path, first, second]) => {
          const once = mutate(sample, path, first);
          // A second mutation at the root or a top-level field: two fields wrong at once.
          const paths = pathsOf(once).filter((p) => p.length === 1);
          return second && paths.length > 0 ? mutate(once, paths[(path.length * 7) % paths.length]!, second) : once;
        });
      fc.assert(
        fc.property(inputArb, (input) => expectSameOutcome(kind, input)),
        { numRuns: 1500 },
      );
    }
  });
});
