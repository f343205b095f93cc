import { useEffect } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';

/** Puts field errors on a react-hook-form form in place of those shown, and focuses the first. */
export function setDraftErrors<T extends FieldValues>(form: UseFormReturn<T>, fields: Record<string, string>): void {
  form.clearErrors();
  let first = true;
  for (const [name, message] of Object.entries(fields)) {
    form.setError(name as Path<T>, { type: 'validate', message }, { shouldFocus: first });
    first = false;
  }
}

/** Calls `onEdit` on every change to the form's values (a preview describes the draft it was made from). */
export function useOnDraftEdit<T extends FieldValues>(form: UseFormReturn<T>, onEdit: () => void): void {
  useEffect(() => {
    const sub = form.watch(() => onEdit());
    return () => sub.unsubscribe();
  }, [form, onEdit]);
}
