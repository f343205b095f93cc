import { useMutation, useQuery } from '@tanstack/react-query';
import type { FolderPurpose } from '../../../shared/contract';
import { orpc } from '../api/client';
import type { PathChooser } from '../components/PathField';
import { AS_OPERATOR } from '../view-as/view-as-store';
import { folderAfterPick, pickFolderInput } from './folder-path';

/**
 * The host's native folder dialog (Electron), reached through host.pickFolder; unavailable in web
 * mode, where the dialogs keep only their path field.
 */
export function useFolderPicker(purpose: FolderPurpose): PathChooser {
  // The host does not change while the app runs.
  const capabilities = useQuery(orpc.host.capabilities.queryOptions({ staleTime: Infinity }));
  const mutation = useMutation(orpc.host.pickFolder.mutationOptions());
  return {
    available: capabilities.data?.folderDialog === true,
    isPending: mutation.isPending,
    error: mutation.error,
    label: 'Choose folder…',
    failure: 'The folder dialog could not be opened',
    pick: (current: string, onPicked: (folder: string) => void) =>
      // A data directory's dialog serves the switch, which acts as the operator (like the read-only switch).
      mutation.mutate(
        { ...pickFolderInput(purpose, current), ...(purpose === 'dataDir' || purpose === 'newDataDir' ? AS_OPERATOR : {}) },
        {
          onSuccess: (result) => {
            const folder = folderAfterPick(result);
            if (folder !== undefined) onPicked(folder);
          },
        },
      ),
  };
}
