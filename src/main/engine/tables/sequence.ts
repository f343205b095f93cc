import { EngineError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';

export interface SequenceOptions {
  /** Defaults to engine.meta, the partition of the engine's own bookkeeping. */
  readonly partition?: string;
  readonly key?: string;
  /** Ids reserved per persisted high-water mark (default 1000). */
  readonly block?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The engine-wide `_seq`: every row write takes the next number, so it is unique per write,
 * increases with every write of the process, and serves as the row's version.
 *
 * Block allocation: the partition holds a high-water mark, the highest id that may have been handed
 * out. When the ids below it run out, the next block is reserved by raising the mark inside the
 * caller's transaction (one put per `block` ids). A restart continues above the mark, so ids never
 * go backwards; ids reserved but unused at a crash are skipped (gaps are fine, repeats are not).
 * If that transaction rolls back, the mark's raise rolls back too, so the next id re-reserves.
 */
export class Sequence {
  private readonly partition: string;
  private readonly key: Uint8Array;
  private readonly block: number;
  /** The next id to hand out. */
  private next: number;
  /** The highest id covered by a committed (or pending) high-water mark. */
  private limit: number;

  constructor(
    private readonly backend: StorageBackend,
    options: SequenceOptions = {},
  ) {
    this.partition = options.partition ?? 'engine.meta';
    this.key = encoder.encode(options.key ?? 'seq');
    this.block = options.block ?? 1000;
    if (!Number.isSafeInteger(this.block) || this.block < 1) throw new Error(`sequence block must be a positive integer, got ${this.block}`);
    backend.createPartition(this.partition);
    this.next = this.persisted() + 1;
    this.limit = this.next - 1;
  }

  /** The high-water mark in storage (0 for a new database). */
  persisted(): number {
    const bytes = this.backend.get(this.partition, this.key);
    if (bytes === undefined) return 0;
    const n = Number(decoder.decode(bytes));
    if (!Number.isSafeInteger(n) || n < 0) throw new EngineError('DECODE', `${this.partition}: sequence high-water mark is corrupt`);
    return n;
  }

  /** The next id. Call it inside the transaction that stores what the id stamps. */
  nextValue(): number {
    if (this.next > this.limit) this.reserve();
    return this.next++;
  }

  /** The last id handed out by this process (0 if none), for tests and diagnostics. */
  last(): number {
    return this.next - 1;
  }

  /**
   * After the stored mark was replaced (a restore): drop the reserved block, so the next id comes
   * from a fresh reservation above both the stored mark and every id already handed out.
   */
  reload(): void {
    this.next = Math.max(this.next, this.persisted() + 1);
    this.limit = this.next - 1;
  }

  private reserve(): void {
    // Another connection may have reserved past us: continue above whatever is stored.
    const stored = this.persisted();
    if (stored >= this.next) this.next = stored + 1;
    const limit = this.next + this.block - 1;
    if (!Number.isSafeInteger(limit)) throw new EngineError('CONFLICT', 'the row sequence is exhausted');
    this.backend.put(this.partition, this.key, encoder.encode(String(limit)));
    this.limit = limit;
    // If the mark's write rolls back, reserve (and persist) again before handing out the next id.
    this.backend.onRollback(() => {
      if (this.limit === limit) this.limit = 0;
    });
  }
}
