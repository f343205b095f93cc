import type { UseFormRegister } from 'react-hook-form';
import type { TableDraft } from './table-draft';

const TYPES = [
  { value: 'shared', label: 'Shared', help: 'one set of rows; an access level decides which roles read and write' },
  { value: 'user', label: 'User', help: 'every row belongs to one user, who only ever sees their own rows' },
  { value: 'stream', label: 'Stream', help: 'per-user rows that expire after a time to live' },
] as const;

/** The kind of a new table, as radios with what each kind means. */
export function TableTypeChoice({ register, disabled }: { register: UseFormRegister<TableDraft>; disabled: boolean }) {
  return (
    <fieldset className="type-choice">
      <legend className="column-editor__legend">Table type</legend>
      {TYPES.map((t) => (
        <label key={t.value} className="checkbox type-choice__option">
          <input type="radio" value={t.value} disabled={disabled} {...register('type')} />
          <span>
            <strong>{t.label}</strong> <span className="muted">— {t.help}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
