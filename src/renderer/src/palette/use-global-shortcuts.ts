import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { requestDataDirSwitch } from '../data-dirs/switch-request';
import { requestJobDialog } from '../jobs/job-dialog-request';
import { useStartJob } from '../jobs/use-jobs';
import type { PaletteCommand } from './palette-items';
import { hasMod, isTyping } from './shortcuts';

type Overlay = 'palette' | 'shortcuts' | undefined;

/*
 * The overlay open, kept outside React's tree: opening the palette re-renders the overlay alone,
 * not the App and everything under it (a sidebar of 1,000 tables, the open grid).
 */
let overlay: Overlay;
const listeners = new Set<() => void>();

export function setOverlay(next: Overlay): void {
  if (next === overlay) return;
  overlay = next;
  for (const l of [...listeners]) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useOverlay(): Overlay {
  return useSyncExternalStore(subscribe, () => overlay);
}

/**
 * The app-wide keys: Ctrl/Cmd+K opens the command palette, `?` the shortcuts, F5 refetches what
 * the page shows (instead of reloading the page and losing its state). Mounted once, by the App.
 */
export function useGlobalShortcuts(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (hasMod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOverlay(overlay === 'palette' ? undefined : 'palette');
      } else if (e.key === '?' && !hasMod(e) && !e.altKey && !isTyping(e.target) && document.querySelector('dialog[open]') === null) {
        e.preventDefault();
        setOverlay('shortcuts');
      } else if (e.key === 'F5' && !hasMod(e) && !e.shiftKey) {
        e.preventDefault();
        void queryClient.refetchQueries({ type: 'active' });
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [queryClient]);
}

/** Runs a command chosen in the palette. */
export function usePaletteCommands(): (command: PaletteCommand) => void {
  const { start } = useStartJob();
  return (command) => {
    switch (command.type) {
      case 'flush':
        start({ type: 'flush', table: command.table });
        break;
      case 'jobDialog':
        requestJobDialog(command.dialog);
        window.location.hash = '#/jobs';
        break;
      case 'shortcuts':
        setOverlay('shortcuts');
        break;
      case 'openDataDir':
        requestDataDirSwitch({ kind: 'open', path: command.path });
        break;
    }
  };
}
