import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/contract';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

const ALL_RIGHTS = { readJobs: null, manageJobs: null, changeSchema: null, readStatistics: null, setReadOnly: null };

describe('engine.info', () => {
  it('reports the runtime, the database, the read-only state and what the subject may do', async () => {
    expect(await h.client.engine.info()).toEqual({
      appVersion: '1.2.3-test',
      mode: 'web',
      dataDir: '/var/kalam',
      databasePath: ':memory:',
      logPath: '/var/kalam/logs/main.log',
      schemaVersion: 1,
      readOnly: false,
      readOnlyLocked: false,
      readOnlyReason: null,
      sqliteVersion: expect.stringMatching(/^3\.\d+\.\d+$/) as string,
      subject: { userId: null, role: 'system' },
      rights: ALL_RIGHTS,
    });
  });

  it('as a role, reports that role and the reason for each right it lacks', async () => {
    const info = await h.client.engine.info({ as: { userId: null, role: 'user' } });
    expect(info.subject).toEqual({ userId: null, role: 'user' });
    expect(info.rights).toEqual({
      readJobs: 'role "user" may not read system.jobs (access level dba)',
      manageJobs: 'role "user" may not write system.jobs (access level dba)',
      changeSchema: 'role "user" may not change the schema (creating, altering and dropping need dba or system)',
      readStatistics: 'role "user" may not read system.manifest (access level dba)',
      setReadOnly: 'role "user" may not write the read-only switch (access level dba)',
    });
    expect((await h.client.engine.info({ as: { userId: null, role: 'dba' } })).rights).toEqual(ALL_RIGHTS);
  });
});

describe('engine.setReadOnly', () => {
  it('turns read-only on and off, returning the new info and announcing each change once, audited', async () => {
    const events: EngineEvent[] = [];
    const abort = new AbortController();
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();

    expect((await h.client.engine.setReadOnly({ readOnly: true })).readOnly).toBe(true);
    expect((await h.client.engine.setReadOnly({ readOnly: true })).readOnly).toBe(true);
    expect((await h.client.engine.info()).readOnly).toBe(true);
    expect((await h.client.engine.setReadOnly({ readOnly: false })).readOnly).toBe(false);
    await expect.poll(() => events.length).toBe(4);
    abort.abort();
    await reading;
    expect(events).toEqual([
      { type: 'engine', readOnly: true },
      { type: 'change', table: 'system.audit_log', key: '0', op: 'insert' },
      { type: 'engine', readOnly: false },
      { type: 'change', table: 'system.audit_log', key: '1', op: 'insert' },
    ]);
    const audit = [...h.engine.system.auditLog.scan()].map(([, e]) => e);
    expect(audit).toMatchObject([
      { action: 'engine.setReadOnly', actor_user_id: 'root', actor_role: 'system', before: { read_only: false }, after: { read_only: true } },
      { action: 'engine.setReadOnly', actor_user_id: 'root', actor_role: 'system', before: { read_only: true }, after: { read_only: false } },
    ]);
  });

  it('a malformed request is VALIDATION on the field', async () => {
    const e = await expectError(h.client.engine.setReadOnly({ readOnly: 'yes' } as never), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'readOnly', message: 'must be true or false, not text' }] });
    expect((await h.client.engine.info()).readOnly).toBe(false);
  });

  it('a subject without the right is refused and nothing changes', async () => {
    const e = await expectError(h.client.engine.setReadOnly({ readOnly: true, as: { userId: null, role: 'service' } }), 'ACCESS_DENIED');
    expect(e.message).toBe('role "service" may not write the read-only switch (access level dba)');
    expect((await h.client.engine.info()).readOnly).toBe(false);
    expect([...h.engine.system.auditLog.scan()]).toEqual([]);
  });
});

describe('read-only locked at launch', () => {
  it('is on, says why, and cannot be turned off by any subject', async () => {
    const locked = openHarness({ readOnly: true });
    try {
      const info = await locked.client.engine.info();
      expect(info).toMatchObject({ readOnly: true, readOnlyLocked: true, readOnlyReason: 'started with --read-only' });
      const e = await expectError(locked.client.engine.setReadOnly({ readOnly: false }), 'READ_ONLY');
      expect(e.message).toMatch(/locked for this run \(started with --read-only\)/);
      expect((await locked.client.engine.info()).readOnly).toBe(true);
      // Turning it on again is no change: nothing to audit.
      expect((await locked.client.engine.setReadOnly({ readOnly: true })).readOnly).toBe(true);
      expect([...locked.engine.system.auditLog.scan()]).toEqual([]);
      expect(() => locked.engine.readOnly.set(false)).toThrow(/locked/);
    } finally {
      locked.close();
    }
  });
});
