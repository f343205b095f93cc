import { useEffect } from 'react';

/** Set once the user chose to leave (a switch of data directory, after its own prompt): no second prompt. */
let leaving = false;

/** The page is about to reload on purpose, after the user was asked in the app: the browser does not ask again. */
export function leaveWithoutAsking(): void {
  leaving = true;
}

/**
 * While `active`, closing or reloading the window asks first (the browser's own prompt): the one
 * way staged grid edits and dirty form dialogs guard against losing input.
 */
export function useUnloadWarning(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!leaving) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
}
