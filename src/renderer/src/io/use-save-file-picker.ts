import { useMutation, useQuery } from '@tanstack/react-query';
import type { ExportFormat } from '../../../shared/jobs/io-params';
import { AbsolutePathSchema } from '../../../shared/host-path';
import { orpc } from '../api/client';
import type { PathChooser } from '../components/PathField';
import { folderAfterPick } from '../jobs/folder-path';

/**
 * The host's native save dialog (Electron), reached through host.pickSaveFile; unavailable in web
 * mode, where the Export dialog keeps only its path field.
 */
export function useSaveFilePicker(format: ExportFormat): PathChooser {
  // The host does not change while the app runs.
  const capabilities = useQuery(orpc.host.capabilities.queryOptions({ staleTime: Infinity }));
  const mutation = useMutation(orpc.host.pickSaveFile.mutationOptions());
  return {
    available: capabilities.data?.saveDialog === true,
    isPending: mutation.isPending,
    error: mutation.error,
    label: 'Choose file…',
    failure: 'The save dialog could not be opened',
    // Opens on `current` when it is a path the main process accepts.
    pick: (current: string, onPicked: (file: string) => void) => {
      const start = AbsolutePathSchema.safeParse(current.trim());
      mutation.mutate(
        { purpose: 'export', format, ...(start.success ? { defaultPath: start.data } : {}) },
        {
          onSuccess: (result) => {
            const file = folderAfterPick(result);
            if (file !== undefined) onPicked(file);
          },
        },
      );
    },
  };
}
