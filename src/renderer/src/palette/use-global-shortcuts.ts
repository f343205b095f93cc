import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { requestDataDirSwitch } from '../data-dirs/switch-request';
import { requestJobDialog } from '../jobs/job-dialog-request';
import { useStartJob } from '../jobs/use-jobs';
import type { PaletteCommand } from './palette-items';
import { hasMod, isTyping } from './shortcuts';

export type Overlay = 'palette' | 'shortcuts' | undefined;

/**
 * The app-wide keys: Ctrl/Cmd+K opens the command palette, `?` the shortcuts, F5 refetches what
 * the page shows (instead of reloading the page and losing its state). Returns the overlay open
 * and its setter.
 */
export function useGlobalShortcuts(): [Overlay, (o: Overlay) => void] {
  const [overlay, setOverlay] = useState<Overlay>();
  const queryClient = useQueryClient();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (hasMod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOverlay((o) => (o === 'palette' ? undefined : 'palette'));
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
  return [overlay, setOverlay];
}

/** Runs a command chosen in the palette; `setOverlay` opens the shortcuts. */
export function usePaletteCommands(setOverlay: (o: Overlay) => void): (command: PaletteCommand) => void {
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
