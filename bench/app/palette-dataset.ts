/**
 * The command palette bench's data directory: 1,000 data tables (empty shared tables, ten
 * namespaces of 100), created through the real engine's DDL, as the app would have them.
 *
 * Built once and cached in os.tmpdir() (keyed by DATASET_VERSION), seeded into a private directory
 * and renamed into place when complete, like bench/app/dataset.ts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_SUBJECT } from '../../src/main/engine/access/subject';
import { Engine } from '../../src/main/engine/engine';

const DATASET_VERSION = 1;
const NAMESPACES = 10;
const TABLES_PER_NAMESPACE = 100;

export interface PaletteDataset {
  readonly dataDir: string;
  /** Data tables in the directory (system tables come on top). */
  readonly tables: number;
  readonly built: boolean;
  readonly seedMs: number;
}

/** `pal03.orders_042`: ten namespaces, table names made of a few words so fuzzy matching has work to do. */
const WORDS = ['orders', 'invoices', 'customers', 'shipments', 'payments', 'products', 'sessions', 'events', 'refunds', 'accounts'] as const;
export function paletteTableName(ns: number, t: number): string {
  return `pal${String(ns).padStart(2, '0')}.${WORDS[t % WORDS.length]}_${String(t).padStart(3, '0')}`;
}

export function paletteDataset(log: (m: string) => void): PaletteDataset {
  const root = join(tmpdir(), `kalam-bench-palette-v${DATASET_VERSION}`);
  const marker = join(root, 'dataset.json');
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8')) as Omit<PaletteDataset, 'built' | 'dataDir'>;
    log(`palette dataset: reusing ${root} (${meta.tables} tables)`);
    return { ...meta, dataDir: join(root, 'data'), built: false };
  }
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const t0 = performance.now();
  const engine = Engine.openDataDir(join(partial, 'data'));
  let meta: Omit<PaletteDataset, 'built' | 'dataDir'>;
  try {
    for (let ns = 0; ns < NAMESPACES; ns++) {
      const namespace = `pal${String(ns).padStart(2, '0')}`;
      engine.ddl.createNamespace(SYSTEM_SUBJECT, { name: namespace });
      for (let t = 0; t < TABLES_PER_NAMESPACE; t++) {
        const name = paletteTableName(ns, t).slice(namespace.length + 1);
        engine.ddl.createTable(SYSTEM_SUBJECT, {
          namespace,
          name,
          type: 'shared',
          columns: [
            { name: 'id', type: 'integer', primary_key: true },
            { name: 'label', type: 'text' },
          ],
        });
      }
    }
    meta = { tables: [...engine.data.list()].length, seedMs: Math.round(performance.now() - t0) };
  } finally {
    engine.close();
  }
  writeFileSync(join(partial, 'dataset.json'), JSON.stringify(meta, null, 2));
  try {
    renameSync(partial, root);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(marker)) throw e;
  }
  log(`palette dataset: ${meta.tables} tables created in ${(meta.seedMs / 1000).toFixed(1)} s into ${root}`);
  return { ...meta, dataDir: join(root, 'data'), built: true };
}
