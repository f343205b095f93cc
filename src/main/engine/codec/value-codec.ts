import { z } from 'zod';
import { DecodeError, issuesOf, ValidationError } from '../errors';

/**
 * How one kind of entity is stored. `version` is the current schema version; `migrations[n]`
 * turns a value stored at version n into version n + 1, so old rows keep reading after a change.
 */
export interface EntityKind<V> {
  readonly kind: string;
  readonly version: number;
  readonly schema: z.ZodType<V>;
  /**
   * Brings a value written by a caller to its stored form before validation, in plain code (e.g.
   * lower-casing a login name): a zod transform would cost a pipe on every write.
   */
  readonly normalize?: (value: unknown) => unknown;
  readonly migrations?: Readonly<Record<number, (value: unknown) => unknown>>;
}

/** Envelope: [format byte][version varint][UTF-8 JSON]. */
const FORMAT_JSON = 0x01;

/** Names the partition and key of a stored value; called only when decoding it fails. */
export type DecodeSite = (key: Uint8Array) => { partition: string; key: string };

const NO_KEY = new Uint8Array(0);

/** Compiled schemas by source schema: one compile per schema, shared by its codecs (every data table's rows share one). */
const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * `schema` with zod's compiled fast path (z.compile): one generated function that checks a value
 * in straight-line code and builds what is stored, where zod's parser walks the schema node by
 * node and allocates a payload per node. bench/engine.ts's user record: about 0.25 µs against
 * 1.1 µs. A value the fast path refuses is parsed again by the schema itself, so the issues (paths,
 * messages) are zod's own. A schema the compiler cannot express (a recursive one: z.json()) is
 * returned unchanged. value-codec.compiled.test.ts pins which stored kinds compile and checks that
 * compiled and plain parsing agree.
 */
export function compiledSchema<V>(schema: z.ZodType<V>): z.ZodType<V> {
  let compiled = compiledSchemas.get(schema);
  if (!compiled) {
    compiled = z.compile(schema);
    compiledSchemas.set(schema, compiled);
  }
  return compiled as z.ZodType<V>;
}

function fail(where: DecodeSite, key: Uint8Array, reason: string): never {
  const w = where(key);
  throw new DecodeError(w.partition, w.key, reason);
}

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

export class ValueCodec<V> {
  private readonly header: Buffer;
  /** The entity's schema, compiled once (see compiledSchema). */
  private readonly schema: z.ZodType<V>;

  constructor(readonly entity: EntityKind<V>) {
    if (!Number.isInteger(entity.version) || entity.version < 1) throw new Error(`${entity.kind}: version must be a positive integer`);
    const header = Buffer.alloc(1 + varintLength(entity.version));
    header[0] = FORMAT_JSON;
    let n = entity.version;
    let i = 1;
    while (n >= 0x80) {
      header[i++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    header[i] = n;
    this.header = header;
    this.schema = compiledSchema(entity.schema);
  }

  /** The bytes every value this codec encodes starts with (bulk readers of the stored text skip them). */
  get envelopeHeader(): Buffer {
    return Buffer.from(this.header);
  }

  /** Validates against the schema and returns what will be stored (defaults applied, unknown fields dropped). */
  validate(value: unknown): V {
    const normalize = this.entity.normalize;
    const result = this.schema.safeParse(normalize ? normalize(value) : value);
    if (!result.success) throw new ValidationError(this.entity.kind, issuesOf(result.error));
    return result.data;
  }

  /** Encodes a value that has already been validated. */
  encode(value: V): Buffer {
    const json = JSON.stringify(value);
    const out = Buffer.allocUnsafe(this.header.length + Buffer.byteLength(json));
    this.header.copy(out, 0);
    out.write(json, this.header.length, 'utf8');
    return out;
  }

  /**
   * The bytes encode() gives for an object whose JSON text (UTF-8) is `json`, with `members` (JSON
   * members, `"name":value,…`) added after its own: no parse and no second stringify of the object.
   * For values validated and serialized earlier (tables/row-spool.ts); the caller vouches for them.
   */
  encodeObjectText(json: Uint8Array, members: string): Buffer {
    const h = this.header.length;
    const body = json.length - 1;
    if (json[0] !== 0x7b || json[body] !== 0x7d) throw new Error(`${this.entity.kind}: not the JSON text of an object`);
    const tail = `${members !== '' && body > 1 ? ',' : ''}${members}}`;
    const out = Buffer.allocUnsafe(h + body + Buffer.byteLength(tail));
    this.header.copy(out, 0);
    out.set(json.subarray(0, body), h);
    out.write(tail, h + body, 'utf8');
    return out;
  }

  /**
   * `where(key)` names the partition and key in the error, so a bad row can be found and fixed.
   * It takes the key rather than capturing it, so a caller can pass one function for all its rows.
   */
  decode(bytes: Uint8Array, where: DecodeSite, key: Uint8Array = NO_KEY): V {
    // No per-call closure here: allocating one (a `fail` arrow capturing `where`) made every
    // decode about 0.5 µs slower than JSON.parse alone (measured with bench/engine.ts).
    if (bytes[0] !== FORMAT_JSON) return fail(where, key, `unknown value format ${bytes[0] ?? '(empty)'}`);
    let version = 0;
    let shift = 1;
    let i = 1;
    for (;;) {
      const b = bytes[i++];
      if (b === undefined) return fail(where, key, 'truncated envelope');
      version += (b & 0x7f) * shift;
      if (b < 0x80) break;
      shift *= 128;
    }
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', i));
    } catch (e) {
      return fail(where, key, `invalid JSON (${(e as Error).message})`);
    }
    if (version === this.entity.version) return value as V;
    if (version > this.entity.version) {
      return fail(where, key, `written by a newer schema (${this.entity.kind} v${version}; this build reads up to v${this.entity.version})`);
    }
    return this.migrate(value, version, (reason) => fail(where, key, reason));
  }

  private migrate(value: unknown, from: number, fail: (reason: string) => never): V {
    let current = value;
    for (let v = from; v < this.entity.version; v++) {
      const step = this.entity.migrations?.[v];
      if (!step) return fail(`no migration of ${this.entity.kind} from v${v} to v${v + 1}`);
      current = step(current);
    }
    const result = this.schema.safeParse(current);
    if (!result.success) {
      return fail(
        `migrated value is invalid: ${issuesOf(result.error)
          .map((i) => `${i.field}: ${i.message}`)
          .join('; ')}`,
      );
    }
    return result.data;
  }
}
