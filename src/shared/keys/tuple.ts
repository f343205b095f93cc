/**
 * Order-preserving tuple encoding (in the spirit of FoundationDB's tuple layer).
 *
 * For any two tuples a and b: compareBytes(encode(a), encode(b)) has the sign of compareTuples(a, b).
 * Every element is self-delimiting, so encode([x]) is a prefix of encode([x, ...rest]) and never
 * of encode([y]) for y !== x ("alice" never prefixes "alice2"). Strings and bytes end in 0x00 and
 * escape 0x00 as 0x01 0x01 and 0x01 as 0x01 0x02, so a terminator never occurs inside an element
 * ("a" never prefixes "a\u0000"); bytes >= 0x02 are written as they are.
 *
 * Runs in the renderer too: Uint8Array only, no Buffer.
 */

/** A float64 element; plain numbers are int64 so that integer keys stay exact and compact. */
export class Double {
  constructor(readonly value: number) {}
}

export type TupleElement = null | boolean | number | bigint | string | Uint8Array | Double;
export type Tuple = readonly TupleElement[];

const TAG_NULL = 0x01;
const TAG_BYTES = 0x02;
const TAG_STRING = 0x03;
const TAG_FALSE = 0x04;
const TAG_TRUE = 0x05;
const TAG_INT = 0x06;
const TAG_DOUBLE = 0x07;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SIGN_FLIP = 2n ** 63n;

export class TupleError extends Error {
  override name = 'TupleError';
}

/**
 * Growable byte buffer. encodeTuple reuses one (it never re-enters itself), so an encode costs one
 * allocation, the result's copy; the DataView is only made for numbers.
 */
class Writer {
  buf: Uint8Array;
  private dataView: DataView | undefined;
  len = 0;
  constructor(size = 32) {
    this.buf = new Uint8Array(size);
  }
  get view(): DataView {
    return (this.dataView ??= new DataView(this.buf.buffer));
  }
  ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dataView = undefined;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Writes bytes with 0x00 escaped as 0x01 0x01 and 0x01 as 0x01 0x02, then the 0x00 terminator. */
  escaped(bytes: Uint8Array): void {
    this.ensure(bytes.length * 2 + 1);
    for (const b of bytes) {
      if (b <= 1) {
        this.buf[this.len++] = 1;
        this.buf[this.len++] = b + 1;
      } else this.buf[this.len++] = b;
    }
    this.buf[this.len++] = 0;
  }
  /** Strings: an ASCII fast path avoids TextEncoder on the hot key path. */
  string(s: string): void {
    this.ensure(s.length * 2 + 1);
    let ascii = true;
    const start = this.len;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      if (c <= 1) {
        this.buf[this.len++] = 1;
        this.buf[this.len++] = c + 1;
      } else this.buf[this.len++] = c;
    }
    if (ascii) {
      this.buf[this.len++] = 0;
      return;
    }
    this.len = start;
    // TextEncoder would turn every lone surrogate into U+FFFD, so distinct strings would collide.
    if (LONE_SURROGATE.test(s)) throw new TupleError('string element is not well-formed Unicode (lone surrogate)');
    this.escaped(textEncoder.encode(s));
  }
  int(n: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.len, BigInt.asUintN(64, n + SIGN_FLIP));
    this.len += 8;
  }
  double(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.len, n);
    // IEEE 754 order trick: flip all bits of negatives, only the sign bit of positives.
    if (this.buf[this.len]! & 0x80) {
      for (let i = 0; i < 8; i++) this.buf[this.len + i] = ~this.buf[this.len + i]! & 0xff;
    } else {
      this.buf[this.len] = this.buf[this.len]! | 0x80;
    }
    this.len += 8;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const textEncoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;
// ignoreBOM: a key may start with U+FEFF, and decoding must not drop it.
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function writeElement(w: Writer, el: TupleElement): void {
  if (el === null) w.byte(TAG_NULL);
  else if (typeof el === 'string') {
    w.byte(TAG_STRING);
    w.string(el);
  } else if (typeof el === 'number') {
    if (!Number.isSafeInteger(el)) {
      throw new TupleError(`integer element must be a safe integer, got ${el} (wrap floats in Double)`);
    }
    w.byte(TAG_INT);
    w.int(BigInt(el));
  } else if (typeof el === 'bigint') {
    if (el < INT64_MIN || el > INT64_MAX) throw new TupleError(`integer element ${el} is out of int64 range`);
    w.byte(TAG_INT);
    w.int(el);
  } else if (typeof el === 'boolean') w.byte(el ? TAG_TRUE : TAG_FALSE);
  else if (el instanceof Uint8Array) {
    w.byte(TAG_BYTES);
    w.escaped(el);
  } else if (el instanceof Double) {
    if (Number.isNaN(el.value)) throw new TupleError('NaN cannot be a key element');
    w.byte(TAG_DOUBLE);
    // -0 and 0 must encode alike, or equal keys would differ.
    w.double(el.value === 0 ? 0 : el.value);
  } else {
    throw new TupleError(`unsupported tuple element: ${typeof el}`);
  }
}

const SCRATCH_SIZE = 256;
let scratch = new Writer(SCRATCH_SIZE);

/**
 * A one-string tuple of ASCII without 0x00/0x01 (most stored keys: ids and names), written
 * straight into its exact-size result; undefined for anything else. Same bytes as the general path.
 */
function encodeSingleAscii(s: string): Uint8Array | undefined {
  const n = s.length;
  const out = new Uint8Array(n + 2);
  out[0] = TAG_STRING;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c <= 1 || c >= 0x80) return undefined;
    out[i + 1] = c;
  }
  return out;
}

export function encodeTuple(tuple: Tuple): Uint8Array {
  if (tuple.length === 1 && typeof tuple[0] === 'string') {
    const fast = encodeSingleAscii(tuple[0]);
    if (fast) return fast;
  }
  const w = scratch;
  w.len = 0; // a previous call may have thrown midway
  for (const el of tuple) writeElement(w, el);
  const out = w.finish();
  // Do not keep a buffer grown for one huge key.
  if (w.buf.length > 16 * SCRATCH_SIZE) scratch = new Writer(SCRATCH_SIZE);
  return out;
}

function readEscaped(bytes: Uint8Array, pos: number): [Uint8Array, number] {
  // Fast path: no escape inside, so the element is a plain slice up to its terminator.
  let i = pos;
  while (i < bytes.length && bytes[i]! > 1) i++;
  if (i >= bytes.length) throw new TupleError('unterminated string or bytes element');
  if (bytes[i] === 0) return [bytes.subarray(pos, i), i + 1];
  const out: number[] = Array.from(bytes.subarray(pos, i));
  for (;;) {
    if (i >= bytes.length) throw new TupleError('unterminated string or bytes element');
    const b = bytes[i++]!;
    if (b === 0) return [Uint8Array.from(out), i];
    if (b !== 1) {
      out.push(b);
      continue;
    }
    const escaped = bytes[i++];
    if (escaped !== 1 && escaped !== 2) throw new TupleError('invalid escape in string or bytes element');
    out.push(escaped - 1);
  }
}

/** Longest string (in bytes, plus its terminator) the decoder's fast path reads. */
const SHORT_STRING = 33;

/** Decodes one element at pos; returns it and the position after it. */
export function decodeElement(bytes: Uint8Array, pos: number): [TupleElement, number] {
  const tag = bytes[pos];
  switch (tag) {
    case TAG_NULL:
      return [null, pos + 1];
    case TAG_FALSE:
      return [false, pos + 1];
    case TAG_TRUE:
      return [true, pos + 1];
    case TAG_STRING: {
      // Fast path for short ASCII strings without escapes (ids, names), read in place: same result
      // as the general path, without a subarray (costly on a Buffer) or a TextDecoder call.
      let s = '';
      const end = Math.min(bytes.length, pos + 1 + SHORT_STRING);
      for (let i = pos + 1; i < end; i++) {
        const c = bytes[i]!;
        if (c === 0) return [s, i + 1];
        if (c === 1 || c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      const [raw, next] = readEscaped(bytes, pos + 1);
      try {
        return [textDecoder.decode(raw), next];
      } catch {
        throw new TupleError('string element is not valid UTF-8');
      }
    }
    case TAG_BYTES: {
      const [raw, next] = readEscaped(bytes, pos + 1);
      return [raw.slice(), next];
    }
    case TAG_INT: {
      if (pos + 9 > bytes.length) throw new TupleError('truncated integer element');
      const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(pos + 1) - SIGN_FLIP;
      const asNumber = Number(n);
      return [Number.isSafeInteger(asNumber) ? asNumber : n, pos + 9];
    }
    case TAG_DOUBLE: {
      if (pos + 9 > bytes.length) throw new TupleError('truncated double element');
      const raw = bytes.slice(pos + 1, pos + 9);
      if (raw[0]! & 0x80) raw[0] = raw[0]! & 0x7f;
      else for (let i = 0; i < 8; i++) raw[i] = ~raw[i]! & 0xff;
      return [new Double(new DataView(raw.buffer).getFloat64(0)), pos + 9];
    }
    default:
      throw new TupleError(`unknown tuple tag ${tag === undefined ? '(end of input)' : `0x${tag.toString(16)}`} at byte ${pos}`);
  }
}

/**
 * The string of a tuple that is exactly one string element, or undefined for any other tuple.
 * The keys of most stores are such tuples and every scanned row decodes one: short ASCII ones are
 * read without the element and tuple arrays of decodeTuple. That alone took bench/engine.ts's
 * 100k-row scan from about 1.15x raw to about 0.95x (decodeTuple's call sites had gone polymorphic).
 */
export function decodeSingleString(bytes: Uint8Array): string | undefined {
  const last = bytes.length - 1;
  if (bytes[0] === TAG_STRING && last <= SHORT_STRING && bytes[last] === 0) {
    let s = '';
    let i = 1;
    for (; i < last; i++) {
      const c = bytes[i]!;
      if (c <= 1 || c >= 0x80) break;
      s += String.fromCharCode(c);
    }
    if (i === last) return s;
  }
  const elements = decodeTuple(bytes);
  return elements.length === 1 && typeof elements[0] === 'string' ? elements[0] : undefined;
}

export function decodeTuple(bytes: Uint8Array): TupleElement[] {
  const out: TupleElement[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const [el, next] = decodeElement(bytes, pos);
    out.push(el);
    pos = next;
  }
  return out;
}

/** Lexicographic unsigned byte comparison: the order SQLite uses for BLOB keys. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** The smallest key greater than every key that starts with prefix, or undefined if none exists. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return undefined;
}

const TYPE_RANK: Record<string, number> = { null: 1, bytes: 2, string: 3, false: 4, true: 5, int: 6, double: 7 };

function rank(el: TupleElement): number {
  if (el === null) return TYPE_RANK.null!;
  if (typeof el === 'string') return TYPE_RANK.string!;
  if (typeof el === 'number' || typeof el === 'bigint') return TYPE_RANK.int!;
  if (typeof el === 'boolean') return el ? TYPE_RANK.true! : TYPE_RANK.false!;
  if (el instanceof Uint8Array) return TYPE_RANK.bytes!;
  return TYPE_RANK.double!;
}

/** The order the encoding preserves: by type tag, then by value (strings by UTF-8 bytes). */
export function compareTuples(a: Tuple, b: Tuple): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const rx = rank(x);
    const ry = rank(y);
    if (rx !== ry) return rx < ry ? -1 : 1;
    let d = 0;
    if (typeof x === 'string') d = compareBytes(textEncoder.encode(x), textEncoder.encode(y as string));
    else if (typeof x === 'number' || typeof x === 'bigint') {
      const bx = BigInt(x);
      const by = BigInt(y as number | bigint);
      d = bx < by ? -1 : bx > by ? 1 : 0;
    } else if (x instanceof Uint8Array) d = compareBytes(x, y as Uint8Array);
    else if (x instanceof Double) {
      const vx = x.value === 0 ? 0 : x.value;
      const vy = (y as Double).value === 0 ? 0 : (y as Double).value;
      d = vx < vy ? -1 : vx > vy ? 1 : 0;
    }
    if (d !== 0) return d;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Hex form for display and opaque cursors. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) throw new TupleError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
