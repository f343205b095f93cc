/**
 * Rules that hold for every procedure of the contract, walked from the contract itself (a new
 * procedure fails here until it has a sample): inputs are strict objects with the subject `as`;
 * a write refuses in read-only mode and changes nothing; a plain user gets ACCESS_DENIED wherever
 * the access rules say so, and nothing changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORPCError } from '@orpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contractProcedures } from '../../shared/contract/procedures';
import { newJobId } from '../../shared/keys/job-id';
import { jobFixture } from '../../shared/system/jobs.test-support';
import { seedDemo } from './demo';
import { type Harness, openHarness, snapshot, T0 } from './test-support';

const PROCEDURES = contractProcedures();
const FAILED_JOB = newJobId('flush', T0);

let backupRoot: string;
beforeAll(() => {
  backupRoot = mkdtempSync(join(tmpdir(), 'kalam-rules-'));
});
afterAll(() => rmSync(backupRoot, { recursive: true, force: true }));

const USER_FORM = { email: null, role: 'user', auth_type: 'internal', storage_mode: 'table', storage_id: null };

/** A valid input for every procedure, against the demo data; what the admin gets for it. */
interface Sample {
  readonly input: () => Record<string, unknown>;
  /** The admin's outcome ("ok" or an error code): proves the sample reaches the handler. */
  readonly admin: string;
  /** A plain user's outcome (bob, role user). */
  readonly user: string;
  /** Whether it writes (jobs.start and jobs.retry: per job kind). */
  readonly writes?: boolean;
}

const SAMPLES: Record<string, Sample> = {
  'engine.info': { input: () => ({}), admin: 'ok', user: 'ok' },
  'engine.setReadOnly': { input: () => ({ readOnly: false }), admin: 'ok', user: 'ACCESS_DENIED' },
  'tables.list': { input: () => ({}), admin: 'ok', user: 'ok' },
  'tables.describe': { input: () => ({ table: 'system.users' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'tables.namespaces': { input: () => ({}), admin: 'ok', user: 'ok' },
  'rows.page': { input: () => ({ table: 'system.users', request: { limit: 5 } }), admin: 'ok', user: 'ACCESS_DENIED' },
  'rows.count': { input: () => ({ table: 'system.users' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'rows.get': { input: () => ({ table: 'system.users', key: 'u_alice' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'rows.create': { input: () => ({ table: 'demo.products', values: { id: 9, name: 'Cable' } }), admin: 'ok', user: 'ACCESS_DENIED' },
  'rows.update': {
    input: () => ({ table: 'demo.products', key: '1', values: { price: 1 }, version: '1', overwrite: true }),
    admin: 'ok',
    user: 'ACCESS_DENIED',
  },
  'rows.delete': { input: () => ({ table: 'demo.products', key: '1' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'ddl.createNamespace': { input: () => ({ name: 'walk' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'ddl.dropNamespace': { input: () => ({ name: 'demo', cascade: true }), admin: 'ok', user: 'ACCESS_DENIED' },
  'ddl.createTable': {
    input: () => ({ namespace: 'demo', name: 'walk', type: 'shared', columns: [{ name: 'id', type: 'integer', primary_key: true }] }),
    admin: 'ok',
    user: 'ACCESS_DENIED',
  },
  // A private table made public: the change a plain user must never make.
  'ddl.alterTable': {
    input: () => ({ table: 'demo.products', change: { action: 'set_options', access_level: 'private' } }),
    admin: 'ok',
    user: 'ACCESS_DENIED',
  },
  'ddl.dropTable': { input: () => ({ table: 'demo.products' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'entities.create': { input: () => ({ table: 'system.users', values: { ...USER_FORM, username: 'walker' } }), admin: 'ok', user: 'ACCESS_DENIED' },
  // A plain user making itself a dba.
  'entities.update': {
    input: () => ({ table: 'system.users', key: 'u_bob', values: { ...USER_FORM, username: 'bob', role: 'dba' }, version: 'x', overwrite: true }),
    admin: 'ok',
    user: 'ACCESS_DENIED',
  },
  'entities.delete': { input: () => ({ table: 'system.users', key: 'u_carol' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'entities.setPassword': { input: () => ({ userId: 'u_bob', password: 'a long enough password' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'indexes.list': { input: () => ({}), admin: 'ok', user: 'ok' },
  'stats.overview': { input: () => ({}), admin: 'ok', user: 'ACCESS_DENIED' },
  'stats.table': { input: () => ({ table: 'demo.products' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'stats.users': { input: () => ({ table: 'demo.notes' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'schedules.list': { input: () => ({}), admin: 'ok', user: 'ACCESS_DENIED' },
  // No schedule in the demo data: reaching the handler is NOT_FOUND.
  'schedules.run': { input: () => ({ id: 'nightly' }), admin: 'NOT_FOUND', user: 'ACCESS_DENIED' },
  'indexes.entries': { input: () => ({ table: 'system.users', index: 'username', limit: 5 }), admin: 'ok', user: 'ACCESS_DENIED' },
  'indexes.verify': { input: () => ({ table: 'system.users', index: 'username' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'indexes.rebuild': { input: () => ({ table: 'system.users', index: 'username' }), admin: 'ok', user: 'ACCESS_DENIED' },
  'jobs.list': { input: () => ({}), admin: 'ok', user: 'ACCESS_DENIED' },
  'jobs.get': { input: () => ({ id: FAILED_JOB }), admin: 'ok', user: 'ACCESS_DENIED' },
  // A plain user starting a backup.
  'jobs.start': { input: () => ({ type: 'backup', folder: join(backupRoot, `b-${Math.random()}`) }), admin: 'ok', user: 'ACCESS_DENIED', writes: false },
  'jobs.cancel': { input: () => ({ id: FAILED_JOB }), admin: 'CONFLICT', user: 'ACCESS_DENIED' },
  'jobs.retry': { input: () => ({ id: FAILED_JOB }), admin: 'ok', user: 'ACCESS_DENIED', writes: true },
  'jobs.flushSchedule': { input: () => ({}), admin: 'ok', user: 'ACCESS_DENIED' },
  'jobs.checkBackup': { input: () => ({ folder: join(backupRoot, 'none') }), admin: 'VALIDATION', user: 'ACCESS_DENIED' },
  'host.capabilities': { input: () => ({}), admin: 'ok', user: 'ok' },
  // No folder dialog in web mode.
  'host.pickFolder': { input: () => ({ purpose: 'backup' }), admin: 'NOT_FOUND', user: 'ACCESS_DENIED' },
  // No save dialog in web mode either; anyone who may export may open it (it only opens a dialog).
  'host.pickSaveFile': { input: () => ({ purpose: 'export', format: 'csv' }), admin: 'NOT_FOUND', user: 'NOT_FOUND' },
  'events.subscribe': { input: () => ({ tables: ['demo.notes'] }), admin: 'ok', user: 'ok' },
  // A statement's failure (ACCESS_DENIED, READ_ONLY) is in the answer's `error`, not thrown: sql-service.test.ts checks those.
  'sql.run': { input: () => ({ script: 'SELECT 1' }), admin: 'ok', user: 'ok' },
  'sql.page': { input: () => ({ cursor: 'c1.AAAAAAAAAAAAAAAAAAAA' }), admin: 'VALIDATION', user: 'VALIDATION' },
  'sql.close': { input: () => ({ resultId: 'r1' }), admin: 'ok', user: 'ok' },
  'sql.cancel': { input: () => ({ runId: 'run1' }), admin: 'ok', user: 'ok' },
  // Like sql.run, a statement's failure is an `error` event of the stream: sql-live.test.ts checks those.
  'sql.subscribe': { input: () => ({ script: 'SUBSCRIBE TO SELECT count(*) FROM demo.notes' }), admin: 'ok', user: 'ok' },
  // A plain user exporting system.users, which it may not read; an export only reads (allowed in read-only mode).
  'io.export': {
    input: () => ({ table: 'system.users', file: join(backupRoot, `e-${Math.random()}.csv`), format: 'csv' }),
    admin: 'ok',
    user: 'ACCESS_DENIED',
  },
  'io.import': { input: () => ({ table: 'demo.products', file: importSample() }), admin: 'ok', user: 'ACCESS_DENIED' },
  'io.preview': { input: () => ({ file: importSample() }), admin: 'ok', user: 'ok' },
  'io.report': { input: () => ({ id: newJobId('import', T0) }), admin: 'NOT_FOUND', user: 'ACCESS_DENIED' },
  // The harness is no app session: it cannot switch (NOT_FOUND past the rights); data-dirs.test.ts switches for real.
  'dataDirs.list': { input: () => ({}), admin: 'ok', user: 'ACCESS_DENIED' },
  'dataDirs.open': { input: () => ({ path: join(backupRoot, 'other') }), admin: 'NOT_FOUND', user: 'ACCESS_DENIED' },
  'dataDirs.create': { input: () => ({ path: join(backupRoot, 'new'), demo: true }), admin: 'NOT_FOUND', user: 'ACCESS_DENIED' },
};

/** A small CSV for demo.products. */
function importSample(): string {
  const file = join(backupRoot, 'products.csv');
  writeFileSync(file, 'id,name\n90,Imported\n');
  return file;
}

type Call = (input: unknown) => Promise<unknown>;

function callOf(h: Harness, path: string): Call {
  const [group, name] = path.split('.') as [string, string];
  const fn = (h.client as unknown as Record<string, Record<string, Call>>)[group]![name]!;
  if (path === 'events.subscribe') {
    // Endless: subscribed is answered.
    return async (input) => {
      const stream = (await fn(input)) as AsyncIterator<unknown>;
      await stream.return?.(undefined);
      return stream;
    };
  }
  if (path === 'sql.subscribe') {
    // Endless: its first event (the result) is answered.
    return async (input) => {
      const stream = (await fn(input)) as AsyncIterator<unknown>;
      await stream.next();
      await stream.return?.(undefined);
      return stream;
    };
  }
  if (path === 'jobs.checkBackup') {
    // Streams progress, then its answer (or its error) at the end.
    return async (input) => {
      for await (const _ of (await fn(input)) as AsyncIterable<unknown>);
    };
  }
  return fn;
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ORPCError);
    return (e as ORPCError<string, unknown>).code;
  }
}

/** A fresh demo database with a failed job (to get, cancel and retry), its job system started. */
async function harness(): Promise<Harness> {
  const h = openHarness();
  await h.services.ready;
  seedDemo(h.engine);
  h.engine.system.jobs.insert(
    jobFixture({
      job_id: FAILED_JOB,
      status: 'failed',
      parameters: { table: 'demo.products' },
      error: 'boom',
      created_at: T0,
      finished_at: T0,
      updated_at: T0,
    }),
  );
  return h;
}

const BOB = { userId: 'u_bob' };

describe('every procedure of the contract', () => {
  it('has a sample here (the list comes from the contract)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(PROCEDURES.map((p) => p.path).sort());
  });

  describe.each(PROCEDURES)('$path', ({ path, meta, input }) => {
    const sample = SAMPLES[path]!;
    const writes = sample.writes ?? meta.writes;

    it('takes a strict object with the optional subject `as`', () => {
      const schema = input as z.ZodType;
      const options = unionOptions(schema);
      for (const option of options) {
        expect(option, `${path}: every input is an object`).toBeInstanceOf(z.ZodObject);
        const object = option as z.ZodObject;
        expect(Object.keys(object.shape), `${path}: has "as"`).toContain('as');
        expect(nonStrictObjects(object), `${path}: objects that drop unknown keys`).toEqual([]);
      }
    });

    it('refuses an unknown key, naming it, and changes nothing', async () => {
      const h = await harness();
      try {
        const before = snapshot(h.engine);
        const call = callOf(h, path)({ ...sample.input(), surprise: 1 });
        const e = await call.then(
          () => undefined,
          (error: unknown) => error as ORPCError<string, { issues: { message: string }[] }>,
        );
        expect(e?.code).toBe('VALIDATION');
        expect(e?.data.issues.map((i) => i.message)).toEqual(['has an unknown key: "surprise"']);
        expect(snapshot(h.engine)).toEqual(before);
      } finally {
        h.close();
      }
    });

    it('reaches its handler for the admin', async () => {
      const h = await harness();
      try {
        expect(await outcome(callOf(h, path)(sample.input()))).toBe(sample.admin);
      } finally {
        h.close();
      }
    });

    it(`in read-only mode: ${writes ? 'refuses and changes nothing' : 'answers as usual'}`, async () => {
      const h = await harness();
      try {
        h.engine.readOnly.set(true);
        const before = snapshot(h.engine);
        const got = await outcome(callOf(h, path)(sample.input()));
        if (writes) {
          expect(got).toBe('READ_ONLY');
          expect(snapshot(h.engine)).toEqual(before);
        } else {
          expect(got).toBe(sample.admin);
        }
      } finally {
        h.close();
      }
    });

    it(`as a plain user (bob): ${sample.user === 'ok' ? 'answers' : 'refused, and nothing changes'}`, async () => {
      const h = await harness();
      try {
        const before = snapshot(h.engine);
        expect(await outcome(callOf(h, path)({ ...sample.input(), as: BOB }))).toBe(sample.user);
        if (sample.user !== 'ok') expect(snapshot(h.engine)).toEqual(before);
      } finally {
        h.close();
      }
    });
  });
});

describe('what a plain user is shown', () => {
  it('indexes.list: only indexes of tables it may read (no system table)', async () => {
    const h = await harness();
    try {
      expect((await h.client.indexes.list({})).map((i) => i.table)).toContain('system.users');
      expect(await h.client.indexes.list({ as: BOB })).toEqual([]);
    } finally {
      h.close();
    }
  });

  it('engine.info: the subject it acted as, and why each right is refused', async () => {
    const h = await harness();
    try {
      const info = await h.client.engine.info({ as: BOB });
      expect(info.subject).toEqual({ userId: 'u_bob', role: 'user' });
      expect(info.rights.manageJobs).toMatch(/may not write system\.jobs/);
      expect(info.rights.changeSchema).toMatch(/may not change the schema/);
    } finally {
      h.close();
    }
  });
});

/** The options of a (possibly optional) discriminated union, or the schema itself. */
function unionOptions(schema: z.ZodType): z.ZodType[] {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return inner instanceof z.ZodDiscriminatedUnion || inner instanceof z.ZodUnion ? [...(inner.options as z.ZodType[])] : [inner];
}

/** Paths of object schemas inside `schema` that strip unknown keys instead of refusing them. */
function nonStrictObjects(schema: z.ZodType, path = '(input)'): string[] {
  if (schema instanceof z.ZodObject) {
    const catchall = schema._zod.def.catchall;
    const own = catchall instanceof z.ZodNever ? [] : [path];
    return [...own, ...Object.entries(schema.shape).flatMap(([key, child]) => nonStrictObjects(child as z.ZodType, `${path}.${key}`))];
  }
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault)
    return nonStrictObjects(schema._zod.def.innerType as z.ZodType, path);
  if (schema instanceof z.ZodArray) return nonStrictObjects(schema.element as z.ZodType, `${path}[]`);
  if (schema instanceof z.ZodUnion || schema instanceof z.ZodDiscriminatedUnion)
    return (schema.options as z.ZodType[]).flatMap((o, i) => nonStrictObjects(o, `${path}|${i}`));
  if (schema instanceof z.ZodPipe) return nonStrictObjects(schema._zod.def.in as z.ZodType, path);
  return [];
}
