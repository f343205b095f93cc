import { useEffect } from 'react';
import { useStagedTableCount } from './staging-store';

/** Asks before the window is closed or reloaded while staged edits are still unapplied. */
export function UnsavedChangesGuard() {
  const tables = useStagedTableCount();
  useEffect(() => {
    if (tables === 0) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [tables]);
  return null;
}
