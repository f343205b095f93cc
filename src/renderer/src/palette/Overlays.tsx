import { CommandPalette } from './CommandPalette';
import { ShortcutsOverlay } from './ShortcutsOverlay';
import { setOverlay, useOverlay, usePaletteCommands } from './use-global-shortcuts';

const close = () => setOverlay(undefined);

/** The command palette or the shortcuts, when open (Ctrl/Cmd+K, `?`, the header's button). */
export function Overlays() {
  const overlay = useOverlay();
  const runCommand = usePaletteCommands();
  if (overlay === 'palette') return <CommandPalette onClose={close} onCommand={runCommand} />;
  if (overlay === 'shortcuts') return <ShortcutsOverlay onClose={close} />;
  return null;
}
