/** What writer-child.ts writes, and how a test reads it back. */
import type { StorageBackend } from '../../storage/storage-backend';

/** Row n under key n (8 bytes, big-endian, so keys sort by n). */
export const WRITER_ROWS = 'test.writes';
/** One row: the last n written, in the same transaction as row n. */
export const WRITER_COUNTER = 'test.counter';
export const WRITER_COUNTER_KEY = Buffer.from('n');

export function writerKey(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

const fromKey = (bytes: Uint8Array): number => Number(Buffer.from(bytes).readBigUInt64BE());

/** The counter, and the first and last row and how many there are. */
export function readWrites(backend: StorageBackend): { counter: number; rows: number; first: number | undefined; last: number | undefined } {
  const counter = backend.get(WRITER_COUNTER, WRITER_COUNTER_KEY);
  const [first] = backend.scanKeys(WRITER_ROWS, { limit: 1 });
  const [last] = backend.scanKeys(WRITER_ROWS, { limit: 1, reverse: true });
  return {
    counter: counter === undefined ? 0 : fromKey(counter),
    rows: backend.count(WRITER_ROWS),
    first: first === undefined ? undefined : fromKey(first),
    last: last === undefined ? undefined : fromKey(last),
  };
}
