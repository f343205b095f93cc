import { compareBytes, type TupleElement } from '../../../shared/keys/tuple';
import type { EntityStore } from '../store/entity-store';
import type { SecondaryIndex } from './secondary-index';

export interface IndexProblem {
  /** The indexed values, as text. */
  readonly indexKey: string;
  /** The entity's key in display form. */
  readonly primaryKey: string;
}

export interface IndexVerifyReport {
  readonly index: string;
  readonly entities: number;
  readonly entries: number;
  /** Entities whose entry is absent. */
  readonly missing: IndexProblem[];
  /** Entries pointing at entities that do not exist. */
  readonly orphaned: IndexProblem[];
  /** Entries of existing entities that no longer match their values. */
  readonly wrong: IndexProblem[];
  /** True when more problems exist than were listed. */
  readonly truncated: boolean;
}

export interface IndexStats {
  readonly name: string;
  readonly partition: string;
  readonly unique: boolean;
  readonly partial: boolean;
  readonly fields: readonly string[];
  readonly entries: number;
  readonly bytes: number;
}

export function showTuple(els: readonly TupleElement[]): string {
  return els
    .map((e) => (e instanceof Uint8Array ? `0x${Buffer.from(e).toString('hex')}` : typeof e === 'object' && e !== null ? String(e.value) : String(e)))
    .join(', ');
}

export function indexStats<K, V>(store: EntityStore<K, V>, index: SecondaryIndex<V>): IndexStats {
  const stats = store.backend.stats(index.partition);
  const d = index.definition;
  return { name: d.name, partition: index.partition, unique: d.unique, partial: d.partial ?? false, fields: d.fields, entries: stats.rows, bytes: stats.bytes };
}

/**
 * Recomputes the index from the entities and compares, in two streaming passes (entries, then
 * entities) with point lookups, so memory stays flat however large the store is.
 */
export function verifyIndex<K, V>(store: EntityStore<K, V>, index: SecondaryIndex<V>, maxReported = 1000): IndexVerifyReport {
  // One snapshot for both passes: a write committed meanwhile by another connection (a job's
  // status changing while a worker verifies system.jobs) is not reported as a disagreement.
  return store.backend.readSnapshot(() => compareIndex(store, index, maxReported));
}

function compareIndex<K, V>(store: EntityStore<K, V>, index: SecondaryIndex<V>, maxReported: number): IndexVerifyReport {
  const missing: IndexProblem[] = [];
  const orphaned: IndexProblem[] = [];
  const wrong: IndexProblem[] = [];
  let truncated = false;
  const report = (list: IndexProblem[], indexKey: string, pk: Uint8Array) => {
    if (missing.length + orphaned.length + wrong.length >= maxReported) {
      truncated = true;
      return;
    }
    let primaryKey: string;
    try {
      primaryKey = store.keyCodec.display(store.keyCodec.decode(pk));
    } catch {
      primaryKey = `0x${Buffer.from(pk).toString('hex')}`;
    }
    list.push({ indexKey, primaryKey });
  };

  let entries = 0;
  for (const [key, value] of store.backend.scan(index.partition)) {
    entries++;
    const entry = { key, value };
    let pk: Uint8Array;
    let tuple: string;
    try {
      pk = index.primaryKeyOf(entry);
      tuple = showTuple(index.tupleOf(entry));
    } catch {
      report(wrong, `0x${Buffer.from(key).toString('hex')}`, value);
      continue;
    }
    const entity = store.getRaw(pk);
    if (entity === undefined) {
      report(orphaned, tuple, pk);
      continue;
    }
    const expected = index.entryFor(pk, entity);
    if (!expected || compareBytes(expected.key, key) !== 0 || compareBytes(expected.value, value) !== 0) report(wrong, tuple, pk);
  }

  let entities = 0;
  for (const [pk, entity] of store.scanRaw()) {
    entities++;
    const expected = index.entryFor(pk, entity);
    if (!expected) continue;
    const actual = store.backend.get(index.partition, expected.key);
    if (actual === undefined || compareBytes(actual, expected.value) !== 0) {
      report(missing, showTuple(index.tupleOf(expected)), pk);
    }
  }
  return { index: index.name, entities, entries, missing, orphaned, wrong, truncated };
}

/** Rewrites the index from the entities in one transaction: on a unique violation nothing changes. */
export function rebuildIndex<K, V>(store: EntityStore<K, V>, index: SecondaryIndex<V>): { entries: number } {
  return store.backend.transaction(() => {
    index.clear();
    let entries = 0;
    for (const [pk, entity] of store.scanRaw()) {
      index.apply(pk, undefined, entity);
      if (index.entryFor(pk, entity)) entries++;
    }
    return { entries };
  });
}
