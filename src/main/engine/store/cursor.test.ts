import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { CURSOR_VERSION, decodeCursor, encodeCursor } from './cursor';

const listingArb = fc.string({ minLength: 1, maxLength: 40 });
const boundArb = fc.record({ key: fc.uint8Array({ maxLength: 80 }), inclusive: fc.boolean() });
const BASE64URL_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The error a refused cursor raises: VALIDATION on the field `cursor`. */
function refusal(listing: string, cursor: string): ValidationError {
  try {
    decodeCursor(listing, cursor);
  } catch (e) {
    expect(e, cursor).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('page cursors', () => {
  it('round-trip any bound for the listing that made them, as versioned base64url text (property)', () => {
    fc.assert(
      fc.property(listingArb, boundArb, (listing, bound) => {
        const cursor = encodeCursor(listing, bound);
        expect(cursor).toMatch(new RegExp(`^c${CURSOR_VERSION}\\.[A-Za-z0-9_-]+$`));
        expect(decodeCursor(listing, cursor)).toEqual(bound);
        // The same bound makes the same cursor (pages of one listing agree on their edges).
        expect(encodeCursor(listing, bound)).toBe(cursor);
        expect(encodeCursor(listing, { ...bound, inclusive: !bound.inclusive })).not.toBe(cursor);
      }),
    );
  });

  it('are refused by any other listing (property)', () => {
    fc.assert(
      fc.property(listingArb, listingArb, boundArb, (a, b, bound) => {
        fc.pre(a !== b);
        const e = refusal(b, encodeCursor(a, bound));
        expect(e.code).toBe('VALIDATION');
        expect(e.issues).toEqual([{ field: 'cursor', message: 'is not a cursor this listing returned' }]);
      }),
    );
  });

  it('are refused once any character is changed, dropped or added (property)', () => {
    fc.assert(
      fc.property(
        listingArb,
        boundArb,
        fc.nat(),
        fc.constantFrom(...BASE64URL_CHARS, '.', '=', '+', '/', ' ', 'é'),
        fc.constantFrom('change', 'drop', 'add'),
        (listing, bound, at, char, how) => {
          const cursor = encodeCursor(listing, bound);
          const i = at % cursor.length;
          const tampered =
            how === 'change'
              ? cursor.slice(0, i) + char + cursor.slice(i + 1)
              : how === 'drop'
                ? cursor.slice(0, i) + cursor.slice(i + 1)
                : cursor.slice(0, i) + char + cursor.slice(i);
          fc.pre(tampered !== cursor);
          expect(refusal(listing, tampered).issues[0]?.field).toBe('cursor');
        },
      ),
    );
  });

  it('refuses what no listing made: other versions, other spellings, bare positions', () => {
    const cursor = encodeCursor('people', { key: Uint8Array.from([1, 2, 3]), inclusive: false });
    const body = cursor.slice(3);
    const bare = Buffer.from([1, 2, 3]).toString('base64url');
    for (const bad of ['', 'c1.', 'garbage', body, `c2.${body}`, `C1.${body}`, `c1.${bare}`, `${cursor}=`, `${cursor}==`, 'c1.a+b/c', `c1.${'A'.repeat(8)}`]) {
      expect(refusal('people', bad).issues[0]?.field, bad).toBe('cursor');
    }
  });
});
