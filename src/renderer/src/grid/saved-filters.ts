import { useCallback, useSyncExternalStore } from 'react';
import { z } from 'zod';
import { type Filter, FilterSchema } from '../../../shared/browse';
import { readStored, writeStored } from '../components/storage';

/**
 * Named sets of filters, per table of a data directory, kept in localStorage like the workspace's
 * tabs. What is read back is checked against the filter schema: a stored set that no longer
 * parses is dropped, never sent.
 */
const SavedFilterSchema = z.object({ name: z.string().min(1).max(100), filters: z.array(FilterSchema).min(1).max(16) });
export type SavedFilter = z.infer<typeof SavedFilterSchema>;

const SavedListSchema = z.array(SavedFilterSchema).max(100);

const keyOf = (dataDir: string, table: string) => `kalam.savedFilters.${dataDir}.${table}`;
const parse = (value: unknown) => {
  const parsed = SavedListSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
};

/** Saves `filters` under `name`, replacing a set of that name; sorted by name. */
export function withSaved(list: readonly SavedFilter[], name: string, filters: readonly Filter[]): SavedFilter[] {
  const rest = list.filter((s) => s.name !== name);
  return [...rest, { name, filters: [...filters] }].sort((a, b) => a.name.localeCompare(b.name));
}

const cache = new Map<string, readonly SavedFilter[]>();
const listeners = new Set<() => void>();
const EMPTY: readonly SavedFilter[] = [];

function read(key: string): readonly SavedFilter[] {
  let list = cache.get(key);
  if (list === undefined) {
    list = readStored(key, parse) ?? EMPTY;
    cache.set(key, list);
  }
  return list;
}

/** The saved filters of a table, and the functions that save and delete one. */
export function useSavedFilters(dataDir: string | undefined, table: string) {
  const key = dataDir === undefined ? undefined : keyOf(dataDir, table);
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => (key === undefined ? EMPTY : read(key)),
  );
  const write = useCallback(
    (next: readonly SavedFilter[]) => {
      if (key === undefined) return;
      cache.set(key, next);
      writeStored(key, next);
      for (const l of [...listeners]) l();
    },
    [key],
  );
  return {
    list,
    ready: key !== undefined,
    save: (name: string, filters: readonly Filter[]) => write(withSaved(list, name, filters)),
    remove: (name: string) => write(list.filter((s) => s.name !== name)),
  };
}
