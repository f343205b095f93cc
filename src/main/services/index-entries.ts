import type { z } from 'zod';
import type { IndexEntrySchema } from '../../shared/contract/indexes-contract';
import { encodeTuple, type TupleElement } from '../../shared/keys/tuple';
import { showTuple } from '../engine/index/index-maintenance';
import type { SecondaryIndex } from '../engine/index/secondary-index';
import { keysetPage, mapSource } from '../engine/store/keyset-page';
import type { SystemCatalog, SystemTableEntry } from './catalog';
import { asInput, validationError } from './errors';

type IndexEntry = z.infer<typeof IndexEntrySchema>;

export interface IndexPageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
  readonly direction?: 'forward' | 'backward' | undefined;
  /** Narrows to entries whose first field equals this value. */
  readonly lookup?: string | number | undefined;
}

export interface IndexPage {
  entries: IndexEntry[];
  next?: string;
  prev?: string;
}

const hex = (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`;

function lookupPrefix(lookup: string | number): Uint8Array {
  if (typeof lookup === 'number' && !Number.isSafeInteger(lookup))
    throw validationError([{ field: 'lookup', message: 'must be an integer (indexed numbers are integers)' }]);
  const element: TupleElement = lookup;
  return asInput('lookup', () => encodeTuple([element]));
}

/** One entry for display; an entry that does not decode is shown in hex rather than failing the page. */
function showEntry(catalog: SystemCatalog, entry: SystemTableEntry, index: SecondaryIndex<object>, key: Uint8Array, value: Uint8Array): IndexEntry {
  try {
    return { indexKey: showTuple(index.tupleOf({ key, value })), primaryKey: catalog.displayKey(entry, index.primaryKeyOf({ key, value })) };
  } catch {
    return { indexKey: hex(key), primaryKey: hex(value) };
  }
}

/** Entries of an index in index order, a page at a time (the engine's one pager). */
export function indexEntries(catalog: SystemCatalog, entry: SystemTableEntry, index: SecondaryIndex<object>, request: IndexPageRequest): IndexPage {
  const prefix = request.lookup === undefined ? undefined : lookupPrefix(request.lookup);
  const entries = mapSource(index.entries(prefix), (e) => showEntry(catalog, entry, index, e.key, e.value));
  const page = keysetPage(entries, { limit: request.limit, cursor: request.cursor, direction: request.direction });
  return { entries: page.items, ...(page.next ? { next: page.next } : {}), ...(page.prev ? { prev: page.prev } : {}) };
}
