import { useCallback, useEffect, useState } from 'react';
import { readStored, writeStored } from '../components/storage';

export type ThemePreference = 'system' | 'light' | 'dark';

const KEY = 'kalam.theme';
const PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

function parsePreference(v: unknown): ThemePreference | undefined {
  return PREFERENCES.find((p) => p === v);
}

function apply(preference: ThemePreference): void {
  const root = document.documentElement;
  if (preference === 'system') delete root.dataset.theme;
  else root.dataset.theme = preference;
}

/** Applies the stored theme before React renders, so the first paint has the right colours. */
export function applyStoredTheme(): void {
  apply(readStored(KEY, parsePreference) ?? 'system');
}

/** The theme: follows the OS unless the user picked light or dark (remembered). */
export function useTheme(): [ThemePreference, (p: ThemePreference) => void] {
  const [preference, setPreference] = useState<ThemePreference>(() => readStored(KEY, parsePreference) ?? 'system');
  useEffect(() => apply(preference), [preference]);
  const set = useCallback((p: ThemePreference) => {
    writeStored(KEY, p);
    setPreference(p);
  }, []);
  return [preference, set];
}
