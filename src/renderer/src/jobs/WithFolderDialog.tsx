import type { ReactNode } from 'react';
import type { FolderPurpose } from '../../../shared/contract';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { useFolderPicker } from './use-folder-picker';

interface WithFolderDialogProps {
  purpose: FolderPurpose;
  /** The path field's value: where the dialog opens. */
  current: string;
  onPicked: (folder: string) => void;
  /** The path field (it stays editable). */
  children: ReactNode;
}

/**
 * Puts a "Choose folder…" button next to a path field when the host has a folder dialog
 * (Electron); renders the field alone otherwise (web mode looks as before).
 */
export function WithFolderDialog({ purpose, current, onPicked, children }: WithFolderDialogProps) {
  const picker = useFolderPicker(purpose);
  if (!picker.available) return <>{children}</>;
  return (
    <>
      <div className="folder-field">
        {children}
        <button type="button" className="button" disabled={picker.isPending} onClick={() => picker.pick(current, onPicked)}>
          Choose folder…
        </button>
      </div>
      {picker.error ? (
        <Alert kind="error" title="The folder dialog could not be opened">
          {errorMessage(picker.error)}
        </Alert>
      ) : null}
    </>
  );
}
