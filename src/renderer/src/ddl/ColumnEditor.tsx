import { type Control, type FieldErrors, type UseFormRegister, type UseFormSetValue, useFieldArray, useWatch } from 'react-hook-form';
import { controlA11y, FieldFrame } from '../components/FieldFrame';
import { typeHint } from '../data-rows/column-values';
import { ColumnTypeOptions } from './ColumnTypeOptions';
import { emptyColumn, type TableDraft } from './table-draft';
import { fieldError } from './field-error';

interface ColumnEditorProps {
  control: Control<TableDraft>;
  register: UseFormRegister<TableDraft>;
  setValue: UseFormSetValue<TableDraft>;
  errors: FieldErrors<TableDraft>;
  /** A problem with the columns as a whole (no primary key, …). */
  columnsError: string | undefined;
  disabled: boolean;
}

const message = (errors: FieldErrors<TableDraft>, path: string): string | undefined => fieldError(errors, path);

/**
 * The columns of a new table, one fieldset each: name, type, primary key (one, chosen with a radio),
 * nullable, default. Columns can be added and removed.
 */
export function ColumnEditor({ control, register, setValue, errors, columnsError, disabled }: ColumnEditorProps) {
  const { fields, append, remove } = useFieldArray({ control, name: 'columns' });
  const columns = useWatch({ control, name: 'columns' });

  const choosePrimary = (index: number) => {
    columns.forEach((_, i) => {
      setValue(`columns.${i}.primary_key`, i === index, { shouldDirty: true });
      if (i === index) setValue(`columns.${i}.nullable`, false, { shouldDirty: true });
    });
  };

  return (
    <fieldset className="column-editor" aria-describedby={columnsError ? 'columns-error' : undefined}>
      <legend className="column-editor__legend">Columns</legend>
      {columnsError ? (
        <p id="columns-error" className="field__error" role="alert">
          {columnsError}
        </p>
      ) : null}
      {fields.map((field, i) => {
        const col = columns[i];
        const pk = col?.primary_key === true;
        const err = (name: string) => message(errors, `columns.${i}.${name}`);
        const id = (name: string) => `col-${field.id}-${name}`;
        const hint = col ? typeHint(col.type) : undefined;
        return (
          <fieldset key={field.id} className="column-editor__row">
            <legend className="visually-hidden">Column {i + 1}</legend>
            <FieldFrame id={id('name')} label="Name" error={err('name')}>
              <input
                className="input"
                autoComplete="off"
                spellCheck={false}
                disabled={disabled}
                {...controlA11y(id('name'), err('name'), false)}
                {...register(`columns.${i}.name`)}
              />
            </FieldFrame>
            <FieldFrame id={id('type')} label="Type" error={undefined}>
              <select id={id('type')} className="select" disabled={disabled} {...register(`columns.${i}.type`)}>
                <ColumnTypeOptions />
              </select>
            </FieldFrame>
            <label className="checkbox column-editor__flag">
              <input type="radio" name="primary-key" checked={pk} disabled={disabled} onChange={() => choosePrimary(i)} />
              <span>Primary key</span>
            </label>
            <label className="checkbox column-editor__flag">
              <input type="checkbox" disabled={disabled || pk} {...register(`columns.${i}.nullable`)} />
              <span>Nullable</span>
            </label>
            <FieldFrame id={id('default')} label="Default" error={err('default')} hint={hint} hintHidden>
              <input
                className="input"
                autoComplete="off"
                spellCheck={false}
                disabled={disabled}
                placeholder="none"
                {...controlA11y(id('default'), err('default'), Boolean(hint))}
                {...register(`columns.${i}.default`)}
              />
            </FieldFrame>
            <button
              type="button"
              className="icon-button column-editor__remove"
              aria-label={`Remove column ${i + 1}${col?.name ? ` (${col.name})` : ''}`}
              disabled={disabled || fields.length === 1}
              onClick={() => remove(i)}
            >
              <span aria-hidden="true">×</span>
            </button>
          </fieldset>
        );
      })}
      <button type="button" className="button button--small" disabled={disabled} onClick={() => append(emptyColumn())}>
        + Add column
      </button>
    </fieldset>
  );
}
