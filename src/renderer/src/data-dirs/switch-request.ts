import { useSyncExternalStore } from 'react';

/** A data directory to open (an existing one) or to create (a new, empty one, with the demo or not). */
export type SwitchRequest = { readonly kind: 'open'; readonly path: string } | { readonly kind: 'create'; readonly path: string; readonly demo: boolean };

let pending: SwitchRequest | undefined;
const listeners = new Set<() => void>();

function set(next: SwitchRequest | undefined): void {
  pending = next;
  for (const l of [...listeners]) l();
}

/**
 * Asks to switch the app to another data directory, from anywhere (the start page, the command
 * palette): the one DataDirSwitch mounted by the App asks about staged edits and active jobs, then
 * switches.
 */
export function requestDataDirSwitch(request: SwitchRequest): void {
  set(request);
}

export function clearDataDirSwitch(): void {
  set(undefined);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSwitchRequest(): SwitchRequest | undefined {
  return useSyncExternalStore(subscribe, () => pending);
}
