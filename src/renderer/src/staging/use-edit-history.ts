import { useEffect, useSyncExternalStore } from 'react';
import { useEngineInfo } from '../app/engine';
import type { EditHistory } from './edit-history';
import { historyStore } from './history-store';

/** One table's history; re-renders when it changes. Tells the store which data directory is open (its histories are kept per directory). */
export function useEditHistory(table: string): EditHistory {
  const dataDir = useEngineInfo().data?.dataDir;
  useEffect(() => {
    if (dataDir !== undefined) historyStore.open(dataDir);
  }, [dataDir]);
  return useSyncExternalStore(historyStore.subscribe, () => historyStore.of(table));
}
