import { createHash } from 'node:crypto';

/**
 * The version token of a stored entity: a short hash of its stored bytes, so it changes whenever
 * the entity changes (and only then). Used for optimistic concurrency on saves.
 */
export function versionOf(storedBytes: Uint8Array): string {
  return createHash('sha256').update(storedBytes).digest('base64url').slice(0, 16);
}
