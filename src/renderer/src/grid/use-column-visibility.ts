import { useCallback, useState } from 'react';
import type { ColumnVisibilityState } from '@tanstack/react-table';
import { readStored, writeStored } from '../components/storage';

const keyFor = (table: string) => `kalam.columns.${table}`;

function parseVisibility(v: unknown): ColumnVisibilityState | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: ColumnVisibilityState = {};
  for (const [k, b] of Object.entries(v)) if (typeof b === 'boolean') out[k] = b;
  return out;
}

type Updater = ColumnVisibilityState | ((old: ColumnVisibilityState) => ColumnVisibilityState);

/** Which columns of a table are shown; remembered per table in localStorage. */
export function useColumnVisibility(table: string): [ColumnVisibilityState, (u: Updater) => void] {
  const [visibility, setVisibility] = useState<ColumnVisibilityState>(() => readStored(keyFor(table), parseVisibility) ?? {});
  const update = useCallback(
    (u: Updater) =>
      setVisibility((old) => {
        const next = typeof u === 'function' ? u(old) : u;
        writeStored(keyFor(table), next);
        return next;
      }),
    [table],
  );
  return [visibility, update];
}
