import { createHash } from 'node:crypto';
import { ORPCError } from '@orpc/server';
import { createRouterClient } from '@orpc/server';
import { expect } from 'vitest';
import { contractErrors } from '../../shared/contract/errors';
import { Engine } from '../engine/engine';
import { type AppServices, createServices, type NativeDialogs } from './app-services';
import { silentLogger } from '../../shared/logger';

export const T0 = 1_700_000_000_000;

export interface Harness {
  readonly engine: Engine;
  readonly services: AppServices;
  readonly client: ReturnType<typeof clientOf>;
  /** What the services logged as unexpected. */
  readonly logged: { message: string; fields?: Record<string, unknown> | undefined }[];
  close(): void;
}

function clientOf(services: AppServices) {
  return createRouterClient(services.router, { context: services.context('test-connection') });
}

/** A real engine on ':memory:' (every clock reading a second later), its services and an in-process client. */
export function openHarness(options: { readOnly?: boolean; dialogs?: NativeDialogs } = {}): Harness {
  let clock = T0;
  const engine = Engine.open({
    databasePath: ':memory:',
    storageDirectory: '/var/kalam/storage',
    now: () => (clock += 1000),
    ...(options.readOnly ? { readOnly: { lockedReason: 'started with --read-only' } } : {}),
  });
  const logged: Harness['logged'] = [];
  const services = createServices({
    engine,
    mode: 'web',
    dataDir: '/var/kalam',
    logPath: '/var/kalam/logs/main.log',
    appVersion: '1.2.3-test',
    logger: { ...silentLogger, error: (message, fields) => logged.push({ message, fields }) },
    ...(options.dialogs ? { dialogs: options.dialogs } : {}),
  });
  return {
    engine,
    services,
    client: clientOf(services),
    logged,
    close() {
      services.close();
      engine.close();
    },
  };
}

export type TypedError = ORPCError<string, unknown>;

/** The error a call rejects with; fails the test if it resolves or throws something untyped. */
export async function rejection(call: Promise<unknown>): Promise<TypedError> {
  let result: unknown;
  try {
    result = await call;
  } catch (e) {
    expect(e).toBeInstanceOf(ORPCError);
    return e as TypedError;
  }
  throw new Error(`expected the call to fail, it returned ${JSON.stringify(result)}`);
}

/** Asserts a contract error with the given code, defined (typed) on the client side. */
export async function expectError(call: Promise<unknown>, code: keyof typeof contractErrors): Promise<TypedError> {
  const e = await rejection(call);
  expect({ code: e.code, message: e.message }).toMatchObject({ code });
  expect(e.defined).toBe(true);
  expect(e.status).toBe(contractErrors[code].status);
  return e;
}

/** Every partition's stats and a digest of its content: equal snapshots mean nothing was written. */
export function snapshot(engine: Engine): { partition: string; rows: number; bytes: number; digest: string }[] {
  return engine.backend.listPartitions().map((partition) => {
    const hash = createHash('sha256');
    for (const [k, v] of engine.backend.scan(partition)) hash.update(k).update('=').update(v).update(';');
    return { ...engine.backend.stats(partition), digest: hash.digest('hex') };
  });
}

/** Only the stats (cheap enough to take after every fuzzed call). */
export function stats(engine: Engine) {
  return engine.backend.listPartitions().map((p) => engine.backend.stats(p));
}

/**
 * Wraps a client so that every response and every error it yields is kept in `sink` (to search
 * all of them for things that must never leave the main process).
 */
export function recording<T extends object>(client: T, sink: unknown[]): T {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
      const inner = recording(value, sink);
      if (typeof value !== 'function') return inner;
      return new Proxy(inner as (...args: unknown[]) => unknown, {
        apply(fn, thisArg, args: unknown[]) {
          const result: unknown = Reflect.apply(fn, thisArg, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v: unknown) => {
              sink.push(v);
              return v;
            },
            (e: unknown) => {
              sink.push(e instanceof ORPCError ? (e as TypedError).toJSON() : String(e));
              throw e;
            },
          );
        },
      });
    },
  });
}

/** Every audit entry, oldest first. */
export function auditEntries(engine: Engine) {
  return [...engine.system.auditLog.scan()].map(([, e]) => e);
}

/** The raw bytes of every partition as text, to search for secrets. */
export function rawDatabaseText(engine: Engine, partitions = engine.backend.listPartitions()): string {
  return partitions.map((p) => [...engine.backend.scan(p)].map(([, v]) => Buffer.from(v).toString('utf8')).join('\n')).join('\n');
}
