import { useId } from 'react';
import type { FieldErrors, FieldValues, Path, UseFormRegister } from 'react-hook-form';
import { TableAccessSchema } from '../../../shared/access';
import type { DataTableType } from '../../../shared/ddl';
import { controlA11y, FieldFrame } from '../components/FieldFrame';
import { fieldError } from './field-error';

/** The option fields every table form shares; names follow TableDraft and the set_options input. */
export interface TableOptionsDraft {
  access_level: string;
  ttl_seconds: string;
  flush_row_limit: string;
  flush_interval_seconds: string;
  comment: string;
}

interface TableOptionsFieldsProps<T extends FieldValues & TableOptionsDraft> {
  type: DataTableType;
  register: UseFormRegister<T>;
  errors: FieldErrors<T>;
  disabled: boolean;
}

const ACCESS_HELP: Record<string, string> = {
  public: 'every signed-in user reads; services and DBAs write',
  private: 'services and DBAs only',
  restricted: 'services and DBAs only (audited use)',
  dba: 'DBAs only',
};

/** Access level (shared tables), time to live (stream tables), flush policy and comment. */
export function TableOptionsFields<T extends FieldValues & TableOptionsDraft>({ type, register: registerAny, errors, disabled }: TableOptionsFieldsProps<T>) {
  // The option names exist in every form that uses these fields (T extends TableOptionsDraft).
  const register = (name: keyof TableOptionsDraft) => registerAny(name as Path<T>);
  const id = useId();
  const err = (name: keyof TableOptionsDraft) => fieldError(errors, name);
  const a11y = (name: keyof TableOptionsDraft, hint: boolean) => ({ ...controlA11y(`${id}-${name}`, err(name), hint), disabled });
  return (
    <fieldset className="table-options">
      <legend className="column-editor__legend">Options</legend>
      {type === 'shared' ? (
        <FieldFrame label="Access level" id={`${id}-access_level`} error={err('access_level')} hint="Which roles may read and write the rows.">
          <select className="select" {...a11y('access_level', true)} {...register('access_level')}>
            {TableAccessSchema.options.map((a) => (
              <option key={a} value={a}>
                {a} — {ACCESS_HELP[a]}
              </option>
            ))}
          </select>
        </FieldFrame>
      ) : null}
      {type === 'stream' ? (
        <FieldFrame label="Time to live (seconds)" id={`${id}-ttl_seconds`} error={err('ttl_seconds')} hint="Rows disappear this long after they are written.">
          <input className="input" inputMode="numeric" autoComplete="off" {...a11y('ttl_seconds', true)} {...register('ttl_seconds')} />
        </FieldFrame>
      ) : null}
      <div className="table-options__pair">
        <FieldFrame
          label="Flush after rows"
          id={`${id}-flush_row_limit`}
          error={err('flush_row_limit')}
          hint="Optional: write to storage after this many rows."
        >
          <input className="input" inputMode="numeric" autoComplete="off" {...a11y('flush_row_limit', true)} {...register('flush_row_limit')} />
        </FieldFrame>
        <FieldFrame
          label="Flush interval (seconds)"
          id={`${id}-flush_interval_seconds`}
          error={err('flush_interval_seconds')}
          hint="Optional: or after this long."
        >
          <input className="input" inputMode="numeric" autoComplete="off" {...a11y('flush_interval_seconds', true)} {...register('flush_interval_seconds')} />
        </FieldFrame>
      </div>
      <FieldFrame label="Comment" id={`${id}-comment`} error={err('comment')}>
        <textarea className="input" rows={2} {...a11y('comment', false)} {...register('comment')} />
      </FieldFrame>
    </fieldset>
  );
}
