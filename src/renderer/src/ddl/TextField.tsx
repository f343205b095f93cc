import { useId } from 'react';
import { controlA11y, FieldFrame } from '../components/FieldFrame';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  multiline?: boolean;
  inputMode?: 'numeric' | 'text';
}

/** A labelled text input with its hint and error, for dialogs not driven by react-hook-form. */
export function TextField({ label, value, onChange, error, hint, required = false, multiline = false, inputMode }: TextFieldProps) {
  const id = useId();
  const common = {
    ...controlA11y(id, error, Boolean(hint)),
    value,
    'aria-required': required || undefined,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <FieldFrame id={id} label={label} error={error} hint={hint} required={required}>
      {multiline ? (
        <textarea className="input" rows={2} {...common} />
      ) : (
        <input className="input" type="text" autoComplete="off" spellCheck={false} inputMode={inputMode} {...common} />
      )}
    </FieldFrame>
  );
}
