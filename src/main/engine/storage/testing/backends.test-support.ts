import { MemoryBackend } from '../memory/memory-backend';
import { SqliteBackend } from '../sqlite/sqlite-backend';
import type { StorageBackend } from '../storage-backend';

/**
 * The backends unit tests of stores and indexes run against, each test on a fresh one: the same
 * assertions must hold on both (`describe.each(TEST_BACKENDS)('on $name', ({ create }) => …)`).
 */
export const TEST_BACKENDS: readonly { readonly name: string; readonly create: () => StorageBackend }[] = [
  { name: 'the in-memory backend', create: () => new MemoryBackend() },
  { name: 'SQLite in memory', create: () => new SqliteBackend(':memory:') },
];
