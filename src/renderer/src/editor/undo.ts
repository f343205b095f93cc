import type { QueryClient } from '@tanstack/react-query';
import { client } from '../api/client';
import { errorCode } from '../api/errors';
import { invalidateTable } from '../api/invalidate';
import type { ToastApi } from '../components/toast-context';
import type { SubmitValues } from './form-values';

interface UndoOptions {
  toast: ToastApi;
  queryClient: QueryClient;
  table: string;
  key: string;
  noun: string;
  /** The values before the save. */
  previous: SubmitValues;
  /** The version the save produced: undo only applies if nothing changed since. */
  version: string;
}

/** After a save, a toast whose "Undo" re-applies the previous values (at the saved version). */
export function offerUndo(o: UndoOptions): void {
  o.toast.show({
    kind: 'success',
    message: `Saved ${o.noun} ${o.key}.`,
    action: {
      label: 'Undo',
      onClick: () => {
        void client.entities
          .update({ table: o.table, key: o.key, values: o.previous, version: o.version })
          .then(async () => {
            o.toast.show({ kind: 'info', message: `Undid the changes to ${o.noun} ${o.key}.` });
            await invalidateTable(o.queryClient, o.table);
          })
          .catch((e: unknown) => {
            if (errorCode(e) === 'CONFLICT') o.toast.show({ kind: 'error', message: `Cannot undo: ${o.noun} ${o.key} was changed again after your save.` });
            else o.toast.error(e, 'Undo failed');
          });
      },
    },
  });
}
