import { useEffect } from 'react';

/**
 * While `active`, closing or reloading the window asks first (the browser's own prompt): the one
 * way staged grid edits and dirty form dialogs guard against losing input.
 */
export function useUnloadWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
}
