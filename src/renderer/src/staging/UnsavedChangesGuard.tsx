import { useUnloadWarning } from '../components/use-unload-warning';
import { useStagedTableCount } from './staging-store';

/** Asks before the window is closed or reloaded while staged edits are still unapplied. */
export function UnsavedChangesGuard() {
  useUnloadWarning(useStagedTableCount() > 0);
  return null;
}
