import type { JobId } from '../../../../shared/keys/job-id';
import { compareBytes, concatBytes, encodeTuple } from '../../../../shared/keys/tuple';
import { type Job, type JobStatus, JobStatusSchema } from '../../../../shared/system/jobs';
import type { SecondaryIndex } from '../../index/secondary-index';
import type { StorageBackend } from '../../storage/storage-backend';
import type { KeysetBound } from '../../store/cursor';
import { boundRange, type KeysetCandidate, type KeysetPage, type KeysetSource, keysetPage } from '../../store/keyset-page';
import { SystemTableStore } from '../../store/system-table-store';
import { storeConfig } from '../system-table-definition';
import { jobsTable, statusIndex } from './jobs-table';

export interface JobListRequest {
  /** Jobs of this status only; absent: every job. */
  readonly status?: JobStatus | undefined;
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly cursor?: string | undefined;
}

/** One status's entries of the status index from a bound, positioned by (created_at, id): the entry key after its status. */
function* statusEntries(
  backend: StorageBackend,
  index: SecondaryIndex<Job>,
  status: JobStatus,
  reverse: boolean,
  bound: KeysetBound | undefined,
): Generator<[Uint8Array, Uint8Array]> {
  const prefix = encodeTuple([status]);
  const at = bound && { key: concatBytes(prefix, bound.key), inclusive: bound.inclusive };
  for (const rows of backend.scanBatches(index.partition, { prefix, reverse, ...boundRange(reverse, at) })) {
    for (const [key, value] of rows) yield [key.subarray(prefix.length), index.primaryKeyOf({ key, value })];
  }
}

/** Sorted streams of [position, primary key] merged into one, ascending or (reverse) descending. */
function* merged(streams: Iterator<[Uint8Array, Uint8Array]>[], reverse: boolean): Generator<[Uint8Array, Uint8Array]> {
  const heads = streams.map((s) => s.next());
  try {
    yield* pick(heads, streams, reverse);
  } finally {
    for (const s of streams) s.return?.();
  }
}

function* pick(
  heads: IteratorResult<[Uint8Array, Uint8Array]>[],
  streams: Iterator<[Uint8Array, Uint8Array]>[],
  reverse: boolean,
): Generator<[Uint8Array, Uint8Array]> {
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (h.done) continue;
      const b = heads[best];
      if (!b || b.done || compareBytes(h.value[0], b.value[0]) * (reverse ? -1 : 1) < 0) best = i;
    }
    const head = heads[best];
    if (!head || head.done) return;
    yield head.value;
    heads[best] = streams[best]!.next();
  }
}

export class JobsStore extends SystemTableStore<JobId, Job> {
  constructor(backend: StorageBackend) {
    super(storeConfig(backend, jobsTable));
  }

  /** Jobs in one status, oldest first. */
  *withStatus(status: JobStatus, limit?: number): Generator<Job> {
    for (const [, job] of this.findBy('status_created', [status], limit)) yield job;
  }

  /** How many jobs are in one status (an index range count: no job is read). */
  countWithStatus(status: JobStatus): number {
    return this.backend.count(this.index(statusIndex.name).partition, { prefix: encodeTuple([status]) });
  }

  /** The unfinished job holding an idempotency key, if any. */
  activeWithKey(idempotencyKey: string): Job | undefined {
    return this.getBy('idempotency', [idempotencyKey])?.[1];
  }

  /**
   * Jobs newest first (created_at, then id, descending), of one status or all, a page at a time.
   * The status index holds each status's jobs in (created_at, id) order: a page reads each status's
   * range backwards from the cursor and merges them, so a cursor names the same place whatever the
   * status filter.
   */
  list(request: JobListRequest): KeysetPage<Job> {
    const index = this.index(statusIndex.name);
    const statuses = request.status ? [request.status] : JobStatusSchema.options;
    const source: KeysetSource<Job> = {
      listing: `${index.partition}/created`,
      candidates: (reverse, bound) =>
        this.jobsAt(
          merged(
            statuses.map((status) => statusEntries(this.backend, index, status, reverse, bound)),
            reverse,
          ),
        ),
    };
    return keysetPage(source, { limit: request.limit, cursor: request.cursor, order: 'desc' });
  }

  private *jobsAt(entries: Iterable<[Uint8Array, Uint8Array]>): Generator<KeysetCandidate<Job>> {
    for (const [pos, pk] of entries) yield { pos, item: this.getRaw(pk) };
  }
}
