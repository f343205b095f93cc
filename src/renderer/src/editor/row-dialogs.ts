import type { VersionedRow } from '../../../shared/contract';

/** What a table browser hands the actions on its selected row (entity rows and data rows alike). */
export interface RowActionsProps<Dialog, Mode> {
  selectedKey: string | undefined;
  readOnly: boolean;
  /** The dialog to show, owned by the browser so that Enter on a row can open the editor. */
  dialog: Dialog | undefined;
  onDialog: (dialog: Dialog | undefined) => void;
  /** A row was created, cloned or edited: the browser shows and selects it. */
  onSaved: (row: VersionedRow, mode: Mode) => void;
  onDeleted: (key: string) => void;
}

/** The row dialogs' outcomes: each closes the dialog, then tells the browser. */
export function rowDialogOutcomes<Dialog, Mode>({ onDialog, onSaved, onDeleted }: Pick<RowActionsProps<Dialog, Mode>, 'onDialog' | 'onSaved' | 'onDeleted'>) {
  const close = () => onDialog(undefined);
  return {
    close,
    saved: (row: VersionedRow, mode: Mode) => {
      close();
      onSaved(row, mode);
    },
    deleted: (key: string) => {
      close();
      onDeleted(key);
    },
  };
}
