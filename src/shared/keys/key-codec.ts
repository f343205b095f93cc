import { z } from 'zod';
import { decodeSingleString } from './tuple';

/**
 * Everything the engine and the renderer need to know about one key type: its schema (the source
 * of its TypeScript type), its byte encoding (order-preserving), and its display form.
 */
export interface KeyCodec<K> {
  /** Name used in messages, e.g. "UserId". */
  readonly kind: string;
  /** Validates a structured key (as it crosses the contract) and brands it. */
  readonly schema: z.core.$ZodType<K>;
  encode(key: K): Uint8Array;
  decode(bytes: Uint8Array): K;
  /** Human form, e.g. "app.messages"; parse(display(k)) equals k. */
  display(key: K): string;
  /** Parses and validates the display form; throws KeyError with the rule broken. */
  parse(text: string): K;
}

export class KeyError extends Error {
  override name = 'KeyError';
  constructor(
    readonly kind: string,
    readonly rule: string,
  ) {
    super(`${kind}: ${rule}`);
  }
}

/** Runs a zod schema and turns its first issue into a KeyError naming the rule. */
export function parseWith<K>(kind: string, schema: z.core.$ZodType<K>, input: unknown): K {
  const result = z.safeParse(schema, input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new KeyError(kind, `${where}${issue?.message ?? 'invalid'}`);
}

/** Decodes a stored key that is one string element (UserId, NamespaceId, …), checking shape only as stringElement does. */
export function singleStringKey(kind: string, bytes: Uint8Array): string {
  const s = decodeSingleString(bytes);
  if (s === undefined) throw new KeyError(kind, 'stored key is not a single string element');
  return s;
}

/**
 * Reads element i of a decoded tuple as a string. Stored keys were validated when written, so
 * decoding only checks shape; re-validating every key of a scan would double its cost.
 */
export function stringElement(kind: string, elements: readonly unknown[], i: number): string {
  const el = elements[i];
  if (typeof el !== 'string') throw new KeyError(kind, `stored key element ${i} is not a string`);
  return el;
}
