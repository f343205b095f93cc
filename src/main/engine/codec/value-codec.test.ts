import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { UserIdSchema } from '../../../shared/keys/user-id';
import { DecodeError, EngineError, ValidationError } from '../errors';
import { type EntityKind, ValueCodec } from './value-codec';

const PersonSchema = z.object({
  id: UserIdSchema,
  name: z.string().min(1),
  email: z.email(),
  role: z.enum(['user', 'service', 'dba', 'system']).default('user'),
  nickname: z.string().min(1).optional(),
});
type Person = z.infer<typeof PersonSchema>;

const personKind: EntityKind<Person> = { kind: 'person', version: 1, schema: PersonSchema };
const codec = new ValueCodec(personKind);

const alice: Person = { id: UserIdSchema.parse('alice'), name: 'Alice', email: 'alice@example.com', role: 'dba' };
const where = () => ({ partition: 'system.people', key: 'alice' });

/** Runs fn, expects it to throw a DecodeError, and returns it. */
function decodeErrorOf(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError, nothing was thrown');
}

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

/** Envelope bytes by hand: [format][version varint][payload]. */
function envelope(format: number, versionBytes: number[], payload: string): Uint8Array {
  return Uint8Array.from([format, ...versionBytes, ...Buffer.from(payload, 'utf8')]);
}

function expectNamesPartitionAndKey(err: DecodeError, partition = 'system.people', key = 'alice'): void {
  expect(err.code).toBe('DECODE');
  expect(err).toBeInstanceOf(EngineError);
  expect(err.partition).toBe(partition);
  expect(err.key).toBe(key);
  expect(err.message).toContain(partition);
  expect(err.message).toContain(key);
}

describe('ValueCodec round trip', () => {
  it('decodes what it encodes', () => {
    const bytes = codec.encode(codec.validate(alice));
    expect(codec.decode(bytes, where)).toEqual(alice);
  });

  it('writes the envelope: format byte 0x01, version varint, UTF-8 JSON', () => {
    const bytes = codec.encode(alice);
    expect(bytes[0]).toBe(0x01);
    expect(bytes[1]).toBe(1);
    expect(JSON.parse(Buffer.from(bytes.subarray(2)).toString('utf8'))).toEqual(alice);
  });

  it('round-trips multi-byte UTF-8 (buffer sized by bytes, not characters)', () => {
    const p: Person = { ...alice, name: 'Zoë 中文 😀 \u0000 "quoted"', nickname: 'ß' };
    const bytes = codec.encode(codec.validate(p));
    expect(codec.decode(bytes, where)).toEqual(p);
  });

  it('decodes a plain Uint8Array view at a non-zero offset (not only Buffers)', () => {
    const encoded = codec.encode(alice);
    const big = new Uint8Array(encoded.length + 13);
    big.fill(0xee);
    big.set(encoded, 7);
    const view = new Uint8Array(big.buffer, 7, encoded.length);
    expect(Buffer.isBuffer(view)).toBe(false);
    expect(codec.decode(view, where)).toEqual(alice);
  });

  it('round-trips any valid person (property)', () => {
    const personArb = fc.record(
      {
        id: fc.constantFrom('a', 'bob', 'x-1', 'Zoë'),
        name: fc.string({ minLength: 1, maxLength: 20 }),
        email: fc.constantFrom('a@b.io', 'x.y@example.org'),
        role: fc.constantFrom('user', 'service', 'dba', 'system'),
        nickname: fc.string({ minLength: 1, maxLength: 8 }),
      },
      { requiredKeys: ['id', 'name', 'email', 'role'] },
    );
    fc.assert(
      fc.property(personArb, (input) => {
        const stored = codec.validate(input);
        expect(codec.decode(codec.encode(stored), where)).toEqual(stored);
      }),
    );
  });

  it('encodeObjectText gives the bytes encode gives for the object with the members added (property)', () => {
    const anyCodec = new ValueCodec<Record<string, unknown>>({ kind: 'any', version: 300, schema: z.record(z.string(), z.unknown()) });
    const name = fc.string({ unit: 'grapheme', maxLength: 8 }).filter((k) => k !== '__proto__');
    fc.assert(
      fc.property(fc.dictionary(name, fc.jsonValue()), fc.dictionary(name, fc.jsonValue(), { maxKeys: 3 }), (object, extra) => {
        // Members not already in the object: they come last, as assigning new keys makes them.
        const added = Object.fromEntries(Object.entries(extra).filter(([k]) => !Object.hasOwn(object, k)));
        const members = JSON.stringify(added).slice(1, -1);
        const expected = anyCodec.encode({ ...object, ...added });
        expect(anyCodec.encodeObjectText(Buffer.from(JSON.stringify(object)), members).equals(expected)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(() => anyCodec.encodeObjectText(Buffer.from('[1]'), '"a":1')).toThrow(/not the JSON text of an object/);
  });

  it('encodes multi-byte version varints that decode back (version 300)', () => {
    const v300 = new ValueCodec<Person>({ kind: 'person', version: 300, schema: PersonSchema });
    const bytes = v300.encode(alice);
    // 300 = 0b10_0101100 → 0xac 0x02
    expect([...bytes.subarray(0, 3)]).toEqual([0x01, 0xac, 0x02]);
    expect(v300.decode(bytes, where)).toEqual(alice);
    // and a v300 codec is "newer" to a v299 one, so the varint is read as a whole
    const v299 = new ValueCodec<Person>({ kind: 'person', version: 299, schema: PersonSchema });
    const err = decodeErrorOf(() => v299.decode(bytes, where));
    expect(err.message).toMatch(/v300/);
  });

  it('refuses a version that is not a positive integer', () => {
    expect(() => new ValueCodec<Person>({ kind: 'person', version: 0, schema: PersonSchema })).toThrow(/version/);
    expect(() => new ValueCodec<Person>({ kind: 'person', version: 1.5, schema: PersonSchema })).toThrow(/version/);
  });
});

describe('ValueCodec validation on write', () => {
  it('rejects an invalid email with a ValidationError naming the field', () => {
    const err = validationErrorOf(() => codec.validate({ ...alice, email: 'not-an-email' }));
    expect(err.code).toBe('VALIDATION');
    expect(err.entity).toBe('person');
    expect(err.issues.map((i) => i.field)).toEqual(['email']);
    expect(err.message).toContain('email');
  });

  it('names every invalid field, including missing ones', () => {
    const err = validationErrorOf(() => codec.validate({ id: 'alice', name: '', role: 'root' }));
    expect(new Set(err.issues.map((i) => i.field))).toEqual(new Set(['name', 'email', 'role']));
  });

  it('names the key field when the id breaks the id rules', () => {
    const err = validationErrorOf(() => codec.validate({ ...alice, id: 'a/b' }));
    expect(err.issues.map((i) => i.field)).toEqual(['id']);
    expect(err.issues[0]!.message).toMatch(/path separator/);
  });

  it('gives dotted paths for nested fields', () => {
    const nested = new ValueCodec({
      kind: 'team',
      version: 1,
      schema: z.object({ members: z.array(z.object({ email: z.email() })) }),
    });
    const err = validationErrorOf(() => nested.validate({ members: [{ email: 'a@b.io' }, { email: 'nope' }] }));
    expect(err.issues.map((i) => i.field)).toEqual(['members.1.email']);
  });

  it('rejects non-objects', () => {
    expect(() => codec.validate(null)).toThrow(ValidationError);
    expect(() => codec.validate('alice')).toThrow(ValidationError);
  });

  it('drops unknown fields and applies defaults, so they are never stored', () => {
    const stored = codec.validate({ id: 'alice', name: 'Alice', email: 'alice@example.com', isAdmin: true, __proto__x: 1 });
    expect(stored).toEqual({ id: 'alice', name: 'Alice', email: 'alice@example.com', role: 'user' });
    expect('isAdmin' in stored).toBe(false);
    const json = Buffer.from(codec.encode(stored).subarray(2)).toString('utf8');
    expect(json).not.toContain('isAdmin');
    expect(JSON.parse(json)).toMatchObject({ role: 'user' });
  });
});

describe('ValueCodec decode errors name partition and key', () => {
  const payload = JSON.stringify(alice);
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty value', new Uint8Array(0), /unknown value format \(empty\)/],
    ['garbage bytes', Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), /unknown value format 222/],
    ['wrong format byte', envelope(0x02, [1], payload), /unknown value format 2/],
    ['raw JSON without an envelope', Buffer.from(payload, 'utf8'), /unknown value format 123/],
    ['format byte only', Uint8Array.from([0x01]), /truncated envelope/],
    ['varint cut off', Uint8Array.from([0x01, 0x81]), /truncated envelope/],
    ['JSON cut off', envelope(0x01, [1], payload.slice(0, payload.length - 5)), /invalid JSON/],
    ['empty JSON', envelope(0x01, [1], ''), /invalid JSON/],
    ['not JSON at all', envelope(0x01, [1], '\u0000\u0001garbage'), /invalid JSON/],
    ['newer version', envelope(0x01, [2], payload), /newer schema \(person v2; this build reads up to v1\)/],
  ];

  it.each(cases)('%s', (_name, bytes, reason) => {
    const err = decodeErrorOf(() => codec.decode(bytes, where));
    expectNamesPartitionAndKey(err);
    expect(err.reason).toMatch(reason);
    expect(err.message).toMatch(reason);
  });

  it('truncating a valid value anywhere never decodes silently', () => {
    const bytes = codec.encode(alice);
    for (let n = 0; n < bytes.length; n++) {
      const err = decodeErrorOf(() => codec.decode(bytes.subarray(0, n), where));
      expectNamesPartitionAndKey(err);
    }
  });

  it('a value written by a newer codec is a DecodeError, not a silent read', () => {
    const v2 = new ValueCodec<Person>({ kind: 'person', version: 2, schema: PersonSchema });
    const err = decodeErrorOf(() => codec.decode(v2.encode(alice), () => ({ partition: 'p', key: 'k1' })));
    expectNamesPartitionAndKey(err, 'p', 'k1');
  });

  it('computes the location only when decoding fails', () => {
    const lazy = vi.fn(where);
    codec.decode(codec.encode(alice), lazy);
    expect(lazy).not.toHaveBeenCalled();
    expect(() => codec.decode(Uint8Array.from([9]), lazy)).toThrow(DecodeError);
    expect(lazy).toHaveBeenCalledTimes(1);
  });
});

describe('ValueCodec migrations', () => {
  // v1: { id, fullName, mail }   v2: { id, name, mail }   v3: the current Person (email, role default).
  const V1Schema = z.object({ id: UserIdSchema, fullName: z.string(), mail: z.string() });
  const V2Schema = z.object({ id: UserIdSchema, name: z.string(), mail: z.string() });
  const v1 = new ValueCodec({ kind: 'person', version: 1, schema: V1Schema });
  const v2 = new ValueCodec({ kind: 'person', version: 2, schema: V2Schema });
  const oldValue = { id: UserIdSchema.parse('alice'), fullName: 'Alice Liddell', mail: 'alice@example.com' };

  const toV2 = (v: unknown) => {
    const { fullName, ...rest } = v as { fullName: string };
    return { ...rest, name: fullName };
  };
  const toV3 = (v: unknown) => {
    const { mail, ...rest } = v as { mail: string };
    return { ...rest, email: mail };
  };

  it('applies the v1 → v2 migration on read', () => {
    const v2FromV1 = new ValueCodec({ kind: 'person', version: 2, schema: V2Schema, migrations: { 1: toV2 } });
    expect(v2FromV1.decode(v1.encode(oldValue), where)).toEqual({ id: 'alice', name: 'Alice Liddell', mail: 'alice@example.com' });
  });

  it('chains steps in order and validates the result (defaults applied)', () => {
    const calls: string[] = [];
    const v3 = new ValueCodec<Person>({
      kind: 'person',
      version: 3,
      schema: PersonSchema,
      migrations: {
        1: (v) => (calls.push('1→2'), toV2(v)),
        2: (v) => (calls.push('2→3'), toV3(v)),
      },
    });
    expect(v3.decode(v1.encode(oldValue), where)).toEqual({ id: 'alice', name: 'Alice Liddell', email: 'alice@example.com', role: 'user' });
    expect(calls).toEqual(['1→2', '2→3']);
    calls.length = 0;
    expect(v3.decode(v2.encode({ id: UserIdSchema.parse('bob'), name: 'Bob', mail: 'bob@example.com' }), where)).toMatchObject({ email: 'bob@example.com' });
    expect(calls).toEqual(['2→3']);
    calls.length = 0;
    // a current-version value runs no migration
    v3.decode(v3.encode(alice), where);
    expect(calls).toEqual([]);
  });

  it('a missing migration step is a DecodeError naming partition, key and the step', () => {
    const v3 = new ValueCodec<Person>({ kind: 'person', version: 3, schema: PersonSchema, migrations: { 2: toV3 } });
    const err = decodeErrorOf(() => v3.decode(v1.encode(oldValue), where));
    expectNamesPartitionAndKey(err);
    expect(err.reason).toBe('no migration of person from v1 to v2');
  });

  it('a codec without migrations cannot read older values', () => {
    const v2Only = new ValueCodec({ kind: 'person', version: 2, schema: V2Schema });
    const err = decodeErrorOf(() => v2Only.decode(v1.encode(oldValue), where));
    expectNamesPartitionAndKey(err);
    expect(err.reason).toMatch(/no migration of person from v1 to v2/);
  });

  it('a migration that produces an invalid value is a DecodeError naming the field', () => {
    const broken = new ValueCodec<Person>({ kind: 'person', version: 2, schema: PersonSchema, migrations: { 1: (v) => v } });
    const err = decodeErrorOf(() => broken.decode(v1.encode(oldValue), where));
    expectNamesPartitionAndKey(err);
    expect(err.reason).toMatch(/migrated value is invalid/);
    expect(err.reason).toMatch(/email/);
  });
});
