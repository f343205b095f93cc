/**
 * Vitest-side helpers for the flush and compaction tests: a fresh engine per test or per file,
 * and small readers of what the engine shows.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { BrowseRequest, Row } from '../../../../shared/browse';
import type { Engine } from '../../engine';
import { EngineError } from '../../errors';
import { ADMIN, tid } from '../../tables/testing.test-support';
import { type TestDataDir, testDataDir } from './flush.test-support';

export interface TestEngine {
  readonly data: TestDataDir;
  readonly engine: Engine;
}

/**
 * A fresh data directory with an open engine, made before and removed after each test (`each`)
 * or the whole file (`all`). Read `data` and `engine` inside tests: they change between tests.
 */
export function useTestEngine(scope: 'each' | 'all'): TestEngine {
  let current: { data: TestDataDir; engine: Engine } | undefined;
  const get = () => {
    if (!current) throw new Error('useTestEngine: no engine outside a test');
    return current;
  };
  (scope === 'each' ? beforeEach : beforeAll)(() => {
    const data = testDataDir();
    current = { data, engine: data.open() };
  });
  (scope === 'each' ? afterEach : afterAll)(() => {
    current?.engine.close();
    current?.data.remove();
    current = undefined;
  });
  return {
    get data() {
      return get().data;
    },
    get engine() {
      return get().engine;
    },
  };
}

/** The EngineError code `fn` throws, undefined when it succeeds; any other error is rethrown. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof EngineError) return e.code;
    throw e;
  }
}

/** Every page of a browse, forward, in small pages (so that paging itself is exercised). */
export function browseAll(engine: Engine, table: string, subject = ADMIN, request: Partial<BrowseRequest> = {}): Row[] {
  const provider = engine.data.provider(tid(table));
  const rows: Row[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = provider.browse(subject, { limit: 7, ...request, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.next;
    if (!cursor) return rows;
  }
  throw new Error('runaway');
}
