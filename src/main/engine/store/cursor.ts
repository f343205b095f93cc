import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../errors';

/** Where a page read starts: after a position (exclusive) or at it (inclusive). */
export interface KeysetBound {
  readonly key: Uint8Array;
  readonly inclusive: boolean;
}

/**
 * The one page cursor of the engine: an encoded bound, `c<version>.` then base64url of a MAC, a
 * flag byte (inclusive or not) and the position (the key bytes a page ended at). Opaque, so the
 * renderer cannot build one by hand; checked, because the renderer is untrusted: the MAC covers the
 * version, the listing that issued it (a partition, an index, the job list) and the bound, so a
 * cursor that was altered, truncated, made by another version or handed to another listing is
 * refused with VALIDATION.
 *
 * The key is made per process: cursors live as long as the pages that hold them, never in
 * storage, and a new process (a restart) starts paging from the top.
 */
export const CURSOR_VERSION = 1;

const TAG = `c${CURSOR_VERSION}.`;
const MAC_BYTES = 12;
const KEY = randomBytes(32);
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const EXCLUSIVE = 0;
const INCLUSIVE = 1;

function mac(listing: string, body: Uint8Array): Buffer {
  return createHmac('sha256', KEY).update(TAG).update(listing).update('\0').update(body).digest().subarray(0, MAC_BYTES);
}

function refused(): ValidationError {
  return new ValidationError('page request', [{ field: 'cursor', message: 'is not a cursor this listing returned' }]);
}

export function encodeCursor(listing: string, bound: KeysetBound): string {
  const body = Buffer.concat([Uint8Array.of(bound.inclusive ? INCLUSIVE : EXCLUSIVE), bound.key]);
  return TAG + Buffer.concat([mac(listing, body), body]).toString('base64url');
}

/** The bound a cursor of `listing` names; anything else is a VALIDATION error on `cursor`. */
export function decodeCursor(listing: string, cursor: string): KeysetBound {
  const text = cursor.startsWith(TAG) ? cursor.slice(TAG.length) : undefined;
  if (text === undefined || !BASE64URL.test(text)) throw refused();
  const bytes = Buffer.from(text, 'base64url');
  // base64url ignores the spare bits of a last character: only the canonical spelling is the cursor.
  if (bytes.length <= MAC_BYTES || bytes.toString('base64url') !== text) throw refused();
  const body = bytes.subarray(MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(0, MAC_BYTES), mac(listing, body)) || body[0]! > INCLUSIVE) throw refused();
  return { key: new Uint8Array(body.subarray(1)), inclusive: body[0] === INCLUSIVE };
}
