import { type ReactNode, useId } from 'react';
import { errorMessage } from '../api/errors';
import { Alert } from './Alert';
import { controlA11y, FieldMessages } from './FieldFrame';

/** A native dialog that fills a path field (the folder or save-file picker hooks return one). */
export interface PathChooser {
  /** False in web mode: the field stands alone. */
  available: boolean;
  isPending: boolean;
  error: unknown;
  /** The button's text: "Choose folder…", "Choose file…". */
  label: string;
  /** The alert's title when the dialog could not be opened. */
  failure: string;
  /** Opens the dialog at `current`; `onPicked` gets the path (not called on cancel). */
  pick: (current: string, onPicked: (path: string) => void) => void;
}

interface PathFieldProps {
  label: string;
  value: string;
  onChange: (path: string) => void;
  /** The problem to show; the caller decides when (usually once the user tried to go on). */
  error?: string | undefined;
  placeholder?: string | undefined;
  /** Enter in the field: the form's action, for fields outside a <form>. */
  onEnter?: (() => void) | undefined;
  /** The native dialog beside the field, when the host has one. */
  chooser?: PathChooser | undefined;
  /** Other buttons beside the field ("Read sample"). */
  children?: ReactNode;
}

/**
 * An absolute path typed by hand (web mode) or picked in the host's dialog (Electron): the field,
 * its error (`aria-invalid`, described by the message) and the Choose… button beside it.
 */
export function PathField({ label, value, onChange, error, placeholder, onEnter, chooser, children }: PathFieldProps) {
  const id = useId();
  return (
    <>
      <div className="path-field">
        <label className="field" htmlFor={id}>
          <span className="field__label">{label}</span>
          <input
            {...controlA11y(id, error, false)}
            className="input input--code"
            value={value}
            spellCheck={false}
            placeholder={placeholder}
            onChange={(e) => onChange(e.target.value)}
            onKeyDown={
              onEnter
                ? (e) => {
                    if (e.key === 'Enter') onEnter();
                  }
                : undefined
            }
          />
        </label>
        {chooser?.available ? (
          <button type="button" className="button" disabled={chooser.isPending} onClick={() => chooser.pick(value, onChange)}>
            {chooser.label}
          </button>
        ) : null}
        {children}
      </div>
      {chooser?.error ? (
        <Alert kind="error" title={chooser.failure}>
          {errorMessage(chooser.error)}
        </Alert>
      ) : null}
      <FieldMessages id={id} error={error} />
    </>
  );
}
