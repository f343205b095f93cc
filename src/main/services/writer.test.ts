import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NamespaceIdSchema } from '../../shared/keys/namespace-id';
import { Engine } from '../engine/engine';
import { ChangeBus } from './change-bus';
import { ADMIN_SUBJECT } from './app-services';
import { snapshot } from './test-support';
import { MAX_RESPONSE_DEPTH, Writer } from './writer';
import { silentLogger } from '../../shared/logger';

let engine: Engine;
let bus: ChangeBus;
let listenerErrors: unknown[];
let writer: Writer;
beforeEach(() => {
  engine = Engine.open({ databasePath: ':memory:', storageDirectory: '/var/kalam/storage' });
  listenerErrors = [];
  bus = new ChangeBus({ ...silentLogger, error: (_message, fields) => listenerErrors.push(fields?.['error']) });
  writer = new Writer(engine, bus);
});
afterEach(() => engine.close());

const NS = NamespaceIdSchema.parse('app');

/** A write of a namespace with its audit entry, answering `response`. */
const createApp = (response: unknown) => (scope: Parameters<Parameters<Writer['commit']>[1]>[0]) => {
  engine.system.namespaces.insert({ namespace_id: NS, options: {}, comment: null, created_at: scope.now, updated_at: scope.now });
  scope.audit({ action: 'namespaces.create', target: 'system.namespaces/app', before: null, after: null });
  scope.changed('system.namespaces', 'app', 'insert');
  return response;
};

const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

describe('Writer.commit checks the response inside the transaction', () => {
  it('commits a write whose response fits its output schema and the transport', () => {
    const result = writer.commit(ADMIN_SUBJECT, createApp({ ok: nested(MAX_RESPONSE_DEPTH - 1) }), { output: z.object({ ok: z.unknown() }) });
    expect(result).toEqual({ ok: nested(MAX_RESPONSE_DEPTH - 1) });
    expect(engine.system.namespaces.exists(NS)).toBe(true);
  });

  it('rolls back a write whose response nests too deep for the transport to serialize', () => {
    const before = snapshot(engine);
    expect(() => writer.commit(ADMIN_SUBJECT, createApp({ ok: nested(5000) }), { output: z.object({ ok: z.unknown() }) })).toThrow(
      `a write's response nests more than ${MAX_RESPONSE_DEPTH} levels deep`,
    );
    expect(snapshot(engine)).toEqual(before);
    expect(engine.system.namespaces.exists(NS)).toBe(false);
  });

  it('rolls back a write whose response does not match the output schema the transport checks after it', () => {
    const before = snapshot(engine);
    expect(() => writer.commit(ADMIN_SUBJECT, createApp({ version: '' }), { output: z.object({ version: z.string().min(1) }) })).toThrow(
      /does not match its output schema/,
    );
    expect(snapshot(engine)).toEqual(before);
  });

  it('publishes after the commit, and a failing listener neither fails the write nor keeps others from the event', () => {
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('a broken stream');
    });
    bus.subscribe((e) => seen.push(e.type === 'change' ? `${e.table} ${e.op}` : e.type));
    expect(writer.commit(ADMIN_SUBJECT, createApp('done'), { output: z.literal('done') })).toBe('done');
    expect(engine.system.namespaces.exists(NS)).toBe(true);
    expect(seen).toEqual(['system.namespaces insert', 'system.audit_log insert']);
    expect(listenerErrors).toHaveLength(2);
  });
});
