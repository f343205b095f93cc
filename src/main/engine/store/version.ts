import { createHash } from 'node:crypto';

/**
 * Version tokens: what every row the engine hands out carries (`Row.version`) and what a write
 * checks for optimistic concurrency. The client treats them as opaque strings; only this module
 * knows how they are made, and a token changes whenever its row changes (and only then).
 */

/** An entity of a system table: a short hash of its stored bytes. */
export function storedVersion(storedBytes: Uint8Array): string {
  return createHash('sha256').update(storedBytes).digest('base64url').slice(0, 16);
}

/** A data-table row: its `_seq`, which every write of the row stamps anew. */
export function seqVersion(seq: number): string {
  return String(seq);
}

/** The `_seq` a data-table version token names; undefined for a token that is no sequence number. */
export function seqOfVersion(version: string): number | undefined {
  const n = /^\d{1,16}$/.test(version) ? Number(version) : Number.NaN;
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}
