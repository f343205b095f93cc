import { type FieldErrors, type FieldValues, get } from 'react-hook-form';

/** The message of a form error at a dotted path ("columns.1.name"), if any. */
export function fieldError<T extends FieldValues>(errors: FieldErrors<T>, path: string): string | undefined {
  const found: unknown = get(errors, path);
  if (typeof found !== 'object' || found === null || !('message' in found)) return undefined;
  return typeof found.message === 'string' ? found.message : undefined;
}
