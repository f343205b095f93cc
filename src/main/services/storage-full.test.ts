import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TransientJobError } from '../engine/jobs/job-context';
import { stopGrowth } from '../engine/storage/sqlite/sqlite.test-support';
import { seedDemo } from './demo';
import { STORAGE_FULL_MESSAGE, toContractError } from './errors';
import { expectError, type Harness, openHarness, snapshot } from './test-support';

/** The error Node gives when the disk is full: a write to /dev/full fails with ENOSPC (Linux). */
function realEnospc(): unknown {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (e) {
    return e;
  }
  throw new Error('writing to /dev/full succeeded');
}

describe('a full disk is STORAGE_FULL, with a clear message', () => {
  let h: Harness;
  beforeEach(() => {
    h = openHarness();
    seedDemo(h.engine);
  });
  afterEach(() => h.close());

  it('when the database cannot grow (SQLite SQLITE_FULL), and nothing is written', async () => {
    // The database may not grow by one page: what a full disk does to SQLite.
    stopGrowth(h.engine.backend);
    const before = snapshot(h.engine);

    const e = await expectError(h.client.rows.create({ table: 'demo.products', values: { id: 100, name: 'x'.repeat(50_000) } }), 'STORAGE_FULL');
    expect(e.message).toBe(STORAGE_FULL_MESSAGE);
    expect(e.status).toBe(507);
    expect(snapshot(h.engine)).toEqual(before);
    // Logged once, as what it is, without a stack.
    expect(h.logged).toEqual([{ message: 'no room left to write', fields: { procedure: 'rows.create', message: 'database or disk is full' } }]);
  });

  it.skipIf(!existsSync('/dev/full'))('when a file cannot be written (ENOSPC), also wrapped as the cause of a job error', () => {
    const enospc = realEnospc();
    expect((enospc as NodeJS.ErrnoException).code).toBe('ENOSPC');
    for (const error of [enospc, new TransientJobError('flush failed', { cause: enospc })]) {
      const logged: unknown[] = [];
      const out = toContractError(error, { error: (message) => logged.push(message) }, ['jobs', 'start']);
      expect({ code: out.code, status: out.status, defined: out.defined, message: out.message }).toEqual({
        code: 'STORAGE_FULL',
        status: 507,
        defined: true,
        message: STORAGE_FULL_MESSAGE,
      });
      expect(logged).toEqual(['no room left to write']);
    }
  });

  it('other I/O failures stay internal errors', () => {
    const out = toContractError(Object.assign(new Error('permission denied'), { code: 'EACCES' }), { error: () => {} });
    expect(out.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
