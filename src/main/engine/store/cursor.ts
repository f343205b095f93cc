import { ValidationError } from '../errors';

/**
 * Opaque page cursors: the key bytes a page ended at, base64url-encoded behind a version tag.
 * Opaque so the renderer cannot build one by hand; checked, because the renderer is untrusted.
 */
const TAG = 'c1.';

export function encodeCursor(key: Uint8Array): string {
  return TAG + Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64url');
}

export function decodeCursor(cursor: string): Uint8Array {
  if (!cursor.startsWith(TAG) || !/^[A-Za-z0-9_-]*$/.test(cursor.slice(TAG.length))) {
    throw ValidationError.single('cursor', 'cursor', 'not a cursor returned by this store');
  }
  return new Uint8Array(Buffer.from(cursor.slice(TAG.length), 'base64url'));
}
