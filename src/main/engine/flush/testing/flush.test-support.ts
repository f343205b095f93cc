/**
 * Helpers for the flush tests: an engine on a real data directory (SQLite file + storage folder)
 * and a JobContext that records progress and can cancel at a chosen report. No vitest import: the
 * crash children (plain Node processes) use it too.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_SUBJECT } from '../../access/subject';
import { Engine } from '../../engine';
import type { JobContext, JobProgress } from '../../jobs/job-context';

export interface TestDataDir {
  readonly dir: string;
  open(now?: () => number): Engine;
  /** Every file under the storage folder, relative paths, sorted. */
  files(): string[];
  remove(): void;
}

export function testDataDir(): TestDataDir {
  const dir = mkdtempSync(join(tmpdir(), 'kalam-flush-'));
  return {
    dir,
    open(now) {
      const engine = Engine.openDataDir(dir, now ? { now } : {});
      if (!engine.system.namespaces.exists('app' as never)) engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: 'app' });
      return engine;
    },
    files() {
      const root = join(dir, 'storage');
      const out: string[] = [];
      const walk = (d: string, rel: string) => {
        let names: string[];
        try {
          names = readdirSync(d);
        } catch {
          return;
        }
        for (const n of names) {
          const p = join(d, n);
          if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
          else out.push(`${rel}${n}`);
        }
      };
      walk(root, '');
      return out.sort();
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestJobContext extends JobContext {
  readonly progress: JobProgress[];
  cancel(): void;
}

/** A context whose `onReport` hook runs at every report (to edit rows mid-flush, or to cancel). */
export function testJobContext(onReport?: (p: JobProgress, ctx: TestJobContext) => void): TestJobContext {
  const controller = new AbortController();
  const ctx: TestJobContext = {
    signal: controller.signal,
    progress: [],
    report(p) {
      ctx.progress.push(p);
      onReport?.(p, ctx);
    },
    cancel() {
      controller.abort();
    },
  };
  return ctx;
}
