import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useToast } from '../components/toast-context';
import { mapDdlError } from './ddl-errors';

type FieldMessages = Record<string, string>;

interface PreviewedChangeOptions<Result> {
  /** Places field errors on the dialog's form; `{}` clears them. */
  showFieldErrors: (fields: FieldMessages) => void;
  /** What an applied change makes stale (the table list; after an alter, the rows too). */
  refresh: readonly QueryKey[];
  /** The success message for an applied change. */
  appliedMessage: (result: Result) => string;
  onClose: () => void;
  /** After the dialog closed: e.g. go to what was created. */
  afterClose?: (result: Result) => void;
}

interface Attempt<Result> {
  /** Ask the engine for a preview (nothing is written) rather than apply the change. */
  dryRun: boolean;
  /** Problems found here before asking the engine (field → message): any stops the attempt. */
  local: FieldMessages;
  call: () => Promise<Result>;
  /** The form fields an engine error may name; errors naming others go on the dialog. */
  known: ReadonlySet<string>;
  /** The form's name for a field the engine names (default: the same). */
  formField?: (field: string) => string;
}

/**
 * The submit flow every DDL dialog shares: check here, ask the engine for a dry run whose result is
 * the preview, then apply (refresh, say so, close). A failure puts its errors on the form's fields
 * or the dialog, and drops the preview: it no longer describes a change that can be applied.
 */
export function usePreviewedChange<Result>({ showFieldErrors, refresh, appliedMessage, onClose, afterClose }: PreviewedChangeOptions<Result>) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [preview, setPreview] = useState<Result | undefined>();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  // Stable, so that a form can clear the preview from an effect on every edit.
  const clearPreview = useCallback(() => setPreview(undefined), []);

  async function run({ dryRun, local, call, known, formField = (f) => f }: Attempt<Result>): Promise<void> {
    setFormErrors([]);
    if (Object.keys(local).length > 0) return showFieldErrors(local);
    showFieldErrors({});
    try {
      const result = await call();
      if (dryRun) return setPreview(result);
      for (const queryKey of refresh) await queryClient.invalidateQueries({ queryKey });
      toast.show({ kind: 'success', message: appliedMessage(result) });
      onClose();
      afterClose?.(result);
    } catch (e) {
      const mapped = mapDdlError(e, known);
      showFieldErrors(Object.fromEntries(Object.entries(mapped.fields).map(([field, message]) => [formField(field), message])));
      setFormErrors(mapped.form);
      setPreview(undefined);
    }
  }

  return { preview, clearPreview, formErrors, run };
}
