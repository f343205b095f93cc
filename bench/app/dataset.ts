/**
 * The bench's data directory: system.audit_log with N entries (about 190 bytes of JSON each),
 * written through the real engine (Engine.openDataDir + auditLog.putMany in chunked transactions).
 *
 * Built once and cached in os.tmpdir() under a name keyed by the row count and DATASET_VERSION, so
 * later runs in the same session reuse it. It is seeded into a private directory and renamed into
 * place when complete, so an interrupted or concurrent seeding never leaves a half-filled cache.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/main/engine/engine';
import { type AuditId, AuditIdSchema } from '../../src/shared/keys/audit-id';
import { UserIdSchema } from '../../src/shared/keys/user-id';
import type { AuditEntry } from '../../src/shared/system/audit-log';

/** Bump when the seeded content changes, so stale caches are not reused. */
const DATASET_VERSION = 1;
const CHUNK = 50_000;

export interface Dataset {
  /** The data directory to pass to the web mode (`--data-dir`). */
  readonly dataDir: string;
  /** audit_log rows (audit_id 0 … rows - 1, plus whatever migrations wrote before them). */
  readonly rows: number;
  readonly firstAuditId: number;
  readonly lastAuditId: number;
  /** Mean JSON size of a seeded value, in bytes. */
  readonly valueBytes: number;
  /** Whether this run built it (false: reused from the cache). */
  readonly built: boolean;
  readonly seedMs: number;
}

const ACTIONS = ['users.update', 'users.create', 'namespaces.update', 'storages.update', 'users.delete'] as const;
const ROLES = ['user', 'service', 'dba'] as const;
const ACTORS = [UserIdSchema.parse('u_alice'), UserIdSchema.parse('u_bob'), UserIdSchema.parse('u_carol'), null] as const;
const START = Date.UTC(2026, 0, 1);

function entry(id: AuditId, i: number): AuditEntry {
  const actor = ACTORS[i % ACTORS.length] ?? null;
  return {
    audit_id: id,
    actor_user_id: actor,
    actor_role: actor === null ? 'system' : 'dba',
    action: ACTIONS[i % ACTIONS.length] ?? 'users.update',
    target: `system.users/u_seed${String(i % 1000).padStart(4, '0')}`,
    at: START + i * 1000,
    before: { role: ROLES[i % 3] ?? 'user' },
    after: { role: ROLES[(i + 1) % 3] ?? 'user' },
  };
}

function* entries(first: number, count: number, sizes: { bytes: number; n: number }): Generator<readonly [AuditId, AuditEntry]> {
  for (let i = 0; i < count; i++) {
    const id = AuditIdSchema.parse(first + i);
    const e = entry(id, first + i);
    if ((first + i) % 997 === 0) {
      sizes.bytes += Buffer.byteLength(JSON.stringify(e));
      sizes.n += 1;
    }
    yield [id, e] as const;
  }
}

/** Returns the cached data directory for `rows` audit entries, seeding it first if needed. */
export function auditLogDataset(rows: number, log: (m: string) => void): Dataset {
  const root = join(tmpdir(), `kalam-bench-app-v${DATASET_VERSION}-audit${rows}`);
  const marker = join(root, 'dataset.json');
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8')) as Omit<Dataset, 'built' | 'dataDir'>;
    log(`dataset: reusing ${root} (${meta.rows.toLocaleString('en-US')} audit_log rows, ~${meta.valueBytes} B values)`);
    return { ...meta, dataDir: join(root, 'data'), built: false };
  }

  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const t0 = performance.now();
  const engine = Engine.openDataDir(join(partial, 'data'));
  let meta: Omit<Dataset, 'built' | 'dataDir'>;
  try {
    const auditLog = engine.system.auditLog;
    const last = auditLog.scanKeys({ reverse: true, limit: 1 }).next();
    const first = last.done ? 0 : last.value + 1;
    const sizes = { bytes: 0, n: 0 };
    for (let done = 0; done < rows; done += CHUNK) {
      // putMany runs in one transaction per chunk.
      auditLog.putMany(entries(first + done, Math.min(CHUNK, rows - done), sizes));
      if ((done / CHUNK) % 4 === 3) log(`dataset: seeded ${(done + CHUNK).toLocaleString('en-US')} / ${rows.toLocaleString('en-US')}`);
    }
    meta = {
      rows: auditLog.count(),
      firstAuditId: first,
      lastAuditId: first + rows - 1,
      valueBytes: Math.round(sizes.bytes / Math.max(1, sizes.n)),
      seedMs: Math.round(performance.now() - t0),
    };
  } finally {
    engine.close();
  }
  writeFileSync(join(partial, 'dataset.json'), JSON.stringify(meta, null, 2));
  try {
    renameSync(partial, root);
  } catch (e) {
    // Another run finished first: use its copy.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(marker)) throw e;
  }
  log(
    `dataset: seeded ${meta.rows.toLocaleString('en-US')} audit_log rows (~${meta.valueBytes} B values) in ${(meta.seedMs / 1000).toFixed(1)} s into ${root}`,
  );
  return { ...meta, dataDir: join(root, 'data'), built: true };
}
