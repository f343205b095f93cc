/** A Jobs page dialog asked for from elsewhere (the command palette), opened once the page shows. */
export type JobDialogName = 'flush' | 'compact' | 'backup' | 'restore';

let pending: JobDialogName | undefined;
const listeners = new Set<() => void>();

export function requestJobDialog(name: JobDialogName): void {
  pending = name;
  for (const l of [...listeners]) l();
}

/** The dialog asked for, once: later calls return undefined until the next request. */
export function takeJobDialogRequest(): JobDialogName | undefined {
  const name = pending;
  pending = undefined;
  return name;
}

/** Calls `listener` on every request; returns the unsubscribe function. */
export function onJobDialogRequest(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
