/**
 * Seeds a fresh data directory through the real engine, then starts the built web mode on it. The
 * URL reaches the tests through the environment (support/server-env.ts) and <temp>/server.json.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDataDir } from './support/seed';
import { ENV } from './support/server-env';
import { startWebMode } from './support/web-mode';

/** Entries seeded into system.audit_log: enough to need paging (and to cap the row count). */
const AUDIT_ENTRIES = 100_000;

export default async function globalSetup(): Promise<void> {
  const tempDir = mkdtempSync(join(tmpdir(), 'kalam-e2e-'));
  process.env[ENV.tempDir] = tempDir;
  const dataDir = join(tempDir, 'data');

  const t0 = Date.now();
  const seeded = seedDataDir(dataDir, { auditEntries: AUDIT_ENTRIES });
  console.log(`[e2e] seeded ${seeded.auditRows} audit_log rows in ${Date.now() - t0} ms`);

  const logPath = join(tempDir, 'server.log');
  const server = await startWebMode(dataDir, logPath);
  process.env[ENV.pid] = String(server.pid);
  process.env[ENV.url] = server.url;
  process.env[ENV.lastSeededAuditId] = String(seeded.lastAuditId);
  writeFileSync(join(tempDir, 'server.json'), JSON.stringify({ ...server, dataDir, logPath, ...seeded }, null, 2));
  console.log(`[e2e] web mode on ${new URL(server.url).origin} (pid ${server.pid}), data in ${dataDir}`);
}
