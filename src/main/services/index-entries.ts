import type { z } from 'zod';
import type { IndexEntrySchema } from '../../shared/contract/indexes-contract';
import { encodeTuple, type TupleElement } from '../../shared/keys/tuple';
import { showTuple } from '../engine/index/index-maintenance';
import type { SecondaryIndex } from '../engine/index/secondary-index';
import { decodeCursor, encodeCursor } from '../engine/store/cursor';
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

/** Keyset paging over an index partition, in index order, with opaque cursors. */
export function indexEntries(catalog: SystemCatalog, entry: SystemTableEntry, index: SecondaryIndex<object>, request: IndexPageRequest): IndexPage {
  const prefix = request.lookup === undefined ? undefined : lookupPrefix(request.lookup);
  const cursor = request.cursor;
  const at = cursor === undefined ? undefined : asInput('cursor', () => decodeCursor(cursor));
  const backward = request.direction === 'backward';
  const rows = [
    ...entry.store.backend.scan(index.partition, {
      prefix,
      ...(at === undefined ? {} : backward ? { lt: at } : { gt: at }),
      limit: request.limit + 1,
      reverse: backward,
    }),
  ];
  const more = rows.length > request.limit;
  if (more) rows.pop();
  if (backward) rows.reverse();
  const first = rows[0]?.[0];
  const last = rows[rows.length - 1]?.[0];
  const hasNext = backward ? at !== undefined : more;
  const hasPrev = backward ? more : at !== undefined;
  return {
    entries: rows.map(([key, value]) => showEntry(catalog, entry, index, key, value)),
    ...(hasNext && last ? { next: encodeCursor(last) } : {}),
    ...(hasPrev && first ? { prev: encodeCursor(first) } : {}),
  };
}
