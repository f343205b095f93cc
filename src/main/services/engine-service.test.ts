import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectError, type Harness, openHarness } from './test-support';

let h: Harness;
beforeEach(() => {
  h = openHarness();
});
afterEach(() => h.close());

describe('engine.info', () => {
  it('reports the runtime, the database and the read-only state', async () => {
    expect(await h.client.engine.info()).toEqual({
      appVersion: '1.2.3-test',
      mode: 'web',
      dataDir: '/var/kalam',
      databasePath: ':memory:',
      logPath: '/var/kalam/logs/main.log',
      schemaVersion: 1,
      readOnly: false,
      sqliteVersion: expect.stringMatching(/^3\.\d+\.\d+$/) as string,
    });
  });
});

describe('engine.setReadOnly', () => {
  it('turns read-only on and off, returning the new info and announcing each change once', async () => {
    const events: unknown[] = [];
    const abort = new AbortController();
    const stream = await h.client.events.subscribe(undefined, { signal: abort.signal });
    const reading = (async () => {
      for await (const e of stream) events.push(e);
    })();

    expect((await h.client.engine.setReadOnly({ readOnly: true })).readOnly).toBe(true);
    expect((await h.client.engine.setReadOnly({ readOnly: true })).readOnly).toBe(true);
    expect((await h.client.engine.info()).readOnly).toBe(true);
    expect((await h.client.engine.setReadOnly({ readOnly: false })).readOnly).toBe(false);
    const announced = [
      { type: 'engine', readOnly: true },
      { type: 'engine', readOnly: false },
    ];
    // Events are published before each call returns; wait for the reader to take them in.
    await vi.waitFor(() => expect(events).toEqual(announced));
    abort.abort();
    await reading;
    expect(events).toEqual(announced);
  });

  it('a malformed request is VALIDATION on the field', async () => {
    const e = await expectError(h.client.engine.setReadOnly({ readOnly: 'yes' } as never), 'VALIDATION');
    expect(e.data).toEqual({ issues: [{ field: 'readOnly', message: 'Invalid input: expected boolean, received string' }] });
    expect((await h.client.engine.info()).readOnly).toBe(false);
  });
});
