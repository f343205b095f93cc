import type { ReactNode } from 'react';

interface FieldFrameProps {
  /** The id of the control inside; its error and hint get `${id}-error` and `${id}-hint`. */
  id: string;
  label: string;
  error: string | undefined;
  hint?: string | undefined;
  /** The hint is for screen readers only (the field shows it another way, e.g. as a placeholder). */
  hintHidden?: boolean;
  required?: boolean;
  children: ReactNode;
}

/** The label, error and hint around one form control, in the layout every form uses. */
export function FieldFrame({ id, label, error, hint, hintHidden = false, required = false, children }: FieldFrameProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {required ? (
          <span className="field__required" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      {children}
      <FieldMessages id={id} error={error} hint={hint} hintHidden={hintHidden} />
    </div>
  );
}

/** A field's error and hint, with the ids its control's `aria-describedby` names (see describedBy). */
export function FieldMessages({
  id,
  error,
  hint,
  hintHidden = false,
}: {
  id: string;
  error: string | undefined;
  hint?: string | undefined;
  hintHidden?: boolean;
}) {
  return (
    <>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={`${id}-hint`} className={hintHidden ? 'visually-hidden' : 'field__hint'}>
          {hint}
        </p>
      ) : null}
    </>
  );
}

/** The `aria-describedby` of a control framed by FieldFrame: its error, then its hint. */
export function describedBy(id: string, hasError: boolean, hasHint: boolean): string | undefined {
  return [hasError ? `${id}-error` : null, hasHint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
}

/** The id and aria attributes of a control framed by FieldFrame, matching the messages it shows. */
export function controlA11y(id: string, error: string | undefined, hasHint: boolean) {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy(id, Boolean(error), hasHint) };
}
