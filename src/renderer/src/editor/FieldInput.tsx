import { useId } from 'react';
import { describedBy, FieldFrame, FieldMessages } from '../components/FieldFrame';
import type { Control, UseFormRegister } from 'react-hook-form';
import type { FieldSpec } from './form-fields';
import type { FormValues, SubmitValues } from './form-values';
import { ReferenceSelect } from './ReferenceSelect';

interface FieldInputProps {
  field: FieldSpec;
  register: UseFormRegister<FormValues>;
  /** The form's control: reference fields are lists that load after the form opens. */
  control: Control<FormValues, unknown, SubmitValues>;
  error: string | undefined;
  disabled?: boolean;
  /** Shown instead of the derived hint. */
  hint?: string;
}

/** One form field: label, the input its type calls for, a hint and the error. */
export function FieldInput({ field, register, control: formControl, error, disabled = false, hint }: FieldInputProps) {
  const id = useId();
  const hintText = hint ?? field.hint;
  const required = !field.nullable && !field.optional && field.control !== 'checkbox';
  const a11y = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy(id, Boolean(error), Boolean(hintText)),
    'aria-required': required || undefined,
    disabled,
  };
  // Registered by the controls that need it: a reference list is a controlled field instead.
  const reg = () => register(field.name);
  let control;
  switch (field.control) {
    case 'reference':
      control = field.references ? <ReferenceSelect name={field.name} table={field.references} control={formControl} empty={!required} a11y={a11y} /> : null;
      break;
    case 'checkbox':
      return (
        <div className={`field field--checkbox${error ? ' field--invalid' : ''}`}>
          <label className="checkbox" htmlFor={id}>
            <input type="checkbox" {...a11y} {...reg()} />
            <span>{field.label}</span>
          </label>
          <FieldMessages id={id} error={error} hint={hintText} />
        </div>
      );
    case 'select':
      control = (
        <select className="select" {...a11y} {...reg()}>
          {field.nullable || field.optional ? <option value="">(none)</option> : null}
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
      break;
    case 'json':
      control = <textarea className="input input--code" rows={5} spellCheck={false} {...a11y} {...reg()} />;
      break;
    case 'textarea':
      control = <textarea className="input" rows={3} maxLength={field.maxLength} {...a11y} {...reg()} />;
      break;
    case 'password':
      control = <input className="input" type="password" autoComplete="new-password" maxLength={field.maxLength} {...a11y} {...reg()} />;
      break;
    case 'email':
      control = <input className="input" type="email" autoComplete="off" maxLength={field.maxLength} {...a11y} {...reg()} />;
      break;
    case 'number':
      control = <input className="input" type="number" step="any" {...a11y} {...reg()} />;
      break;
    case 'text':
      control = <input className="input" type="text" autoComplete="off" spellCheck={false} maxLength={field.maxLength} {...a11y} {...reg()} />;
      break;
  }

  return (
    <FieldFrame id={id} label={field.label} error={error} hint={hintText} required={required}>
      {control}
    </FieldFrame>
  );
}
