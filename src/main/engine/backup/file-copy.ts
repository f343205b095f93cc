import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JobCancelledError } from '../jobs/job-context';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../private-files';

const CHUNK = 1 << 20;

export interface CopyResult {
  readonly size: number;
  readonly sha256: string;
}

/**
 * Copies a file in chunks while hashing it, then fsyncs the copy (owner-only, as are the folders it
 * creates). `onBytes` hears every chunk (for progress); the signal is checked between chunks (the
 * partial copy is the caller's to remove).
 */
export async function copyHashed(from: string, to: string, onBytes: (n: number) => void, signal?: AbortSignal): Promise<CopyResult> {
  await mkdirPrivate(dirname(to));
  const src = await open(from, 'r');
  try {
    const dst = await open(to, 'w', PRIVATE_FILE_MODE);
    try {
      const result = await readHashed(src, onBytes, signal, (chunk) => dst.write(chunk));
      await dst.sync();
      return result;
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

/** SHA-256 and size of a file, read in chunks. */
export async function hashFile(path: string, onBytes: (n: number) => void = () => {}, signal?: AbortSignal): Promise<CopyResult> {
  const fh = await open(path, 'r');
  try {
    return await readHashed(fh, onBytes, signal);
  } finally {
    await fh.close();
  }
}

/** Reads a file to its end in chunks, hashing them and handing each to `each` before the next read. */
async function readHashed(
  src: FileHandle,
  onBytes: (n: number) => void,
  signal: AbortSignal | undefined,
  each?: (chunk: Buffer) => Promise<unknown>,
): Promise<CopyResult> {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(CHUNK);
  let size = 0;
  for (;;) {
    if (signal?.aborted) throw new JobCancelledError();
    const { bytesRead } = await src.read(buf, 0, CHUNK, null);
    if (bytesRead === 0) break;
    const chunk = buf.subarray(0, bytesRead);
    hash.update(chunk);
    if (each) await each(chunk);
    size += bytesRead;
    onBytes(bytesRead);
  }
  return { size, sha256: hash.digest('hex') };
}

/** Makes a rename inside `dir` durable (a no-op where directories cannot be opened, e.g. Windows). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Best effort: not every platform can fsync a directory.
  } finally {
    await fh?.close();
  }
}
