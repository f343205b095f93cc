/**
 * Writer process for crash.test.ts; the test kills it with SIGKILL at a random moment.
 *
 *   node --import tsx crash-child.ts <db path>
 *
 * Opens the database, prints "ready <first batch>", then writes batches forever, printing "begin N"
 * and "commit N" around each. Batch N is one transaction:
 * ROWS_PER_PARTITION rows in each of partitions "p" and "q" (keys ("row", N, i)), a marker row
 * "batch-N-complete" in "p", and a few entities through an EntityStore with a unique index. After a
 * crash every batch must be wholly there or wholly absent. Restarts continue after the last batch.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { encodeTuple } from '../../../../../shared/keys/tuple';
import { type UserId, UserIdKey, UserIdSchema } from '../../../../../shared/keys/user-id';
import { ValueCodec } from '../../../codec/value-codec';
import { EntityStore } from '../../../store/entity-store';
import { SqliteBackend } from '../sqlite-backend';
import type { BatchOp } from '../../storage-backend';

export const ROWS_PER_PARTITION = 10_000;
export const ENTITIES_PER_BATCH = 50;
export const PARTITIONS = ['p', 'q'] as const;
/** Markers live next to the rows of "p" (in the same partition, under their own key prefix). */
export const MARKER_PARTITION = 'p';

export const CrashEntitySchema = z.object({ id: UserIdSchema, batch: z.number().int(), email: z.string() });
export type CrashEntity = z.infer<typeof CrashEntitySchema>;

export function openCrashStore(backend: SqliteBackend): EntityStore<UserId, CrashEntity> {
  return new EntityStore<UserId, CrashEntity>({
    backend,
    partition: 'entities',
    key: UserIdKey,
    value: new ValueCodec<CrashEntity>({ kind: 'crash-entity', version: 1, schema: CrashEntitySchema }),
    indexes: [{ name: 'email', unique: true, fields: ['email'], extract: (e) => [e.email] }],
  });
}

export const rowKey = (batch: number, i: number) => encodeTuple(['row', batch, i]);
export const batchPrefix = (batch: number) => encodeTuple(['row', batch]);
export const markerKey = (batch: number) => encodeTuple(['marker', `batch-${batch}-complete`]);
export const MARKERS_PREFIX = encodeTuple(['marker']);
export const entityId = (batch: number, i: number) => `e-${batch}-${i}`;

function main(): void {
  const path = process.argv[2];
  if (!path) throw new Error('usage: crash-child.ts <db path>');
  // A 1 MiB page cache makes SQLite spill a batch's pages into the WAL before it commits, so a kill
  // can leave uncommitted frames behind for recovery to ignore (not only a cut-off commit).
  const backend = new SqliteBackend(path, { cacheMb: 1 });
  for (const p of PARTITIONS) backend.createPartition(p);
  const store = openCrashStore(backend);

  // Continue after the highest complete batch left by an earlier (killed) run.
  let batch = 0;
  for (const [, value] of backend.scan(MARKER_PARTITION, { prefix: MARKERS_PREFIX })) {
    batch = Math.max(batch, Number(Buffer.from(value).toString()) + 1);
  }
  process.stdout.write(`ready ${batch}\n`);

  const filler = Buffer.alloc(48, 0x61);
  const rowValue = (n: number, i: number) => Buffer.concat([Buffer.from(`${n}:${i}:`), filler]);
  for (;;) {
    const n = batch;
    // Writes to a pipe are synchronous on POSIX, so the parent sees the last line before the kill.
    process.stdout.write(`begin ${n}\n`);
    // One transaction for the whole batch: rows of "p" put one by one, rows of "q" as a nested
    // batch(), the marker last, then entities with their index entries (putMany nests too).
    backend.transaction(() => {
      for (let i = 0; i < ROWS_PER_PARTITION; i++) backend.put('p', rowKey(n, i), rowValue(n, i));
      const ops: BatchOp[] = [];
      for (let i = 0; i < ROWS_PER_PARTITION; i++) ops.push({ type: 'put', partition: 'q', key: rowKey(n, i), value: rowValue(n, i) });
      backend.batch(ops);
      backend.put(MARKER_PARTITION, markerKey(n), Buffer.from(String(n)));
      store.putMany(
        Array.from({ length: ENTITIES_PER_BATCH }, (_, i): [UserId, CrashEntity] => {
          const id = UserIdSchema.parse(entityId(n, i));
          return [id, { id, batch: n, email: `${entityId(n, i)}@example.com` }];
        }),
      );
    });
    process.stdout.write(`commit ${n}\n`);
    batch++;
  }
}

// Run only as a script: the test imports the layout helpers above without starting a writer.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
