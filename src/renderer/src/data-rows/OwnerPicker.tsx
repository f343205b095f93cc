import { skipToken, useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useMemo, useState } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { describedBy, FieldMessages } from '../components/FieldFrame';
import type { Filter } from '../../../shared/browse';
import { ownerChoices } from './owner-choices';

/** Users listed per search: enough to pick from, small enough to read. */
const LISTED = 25;

function usersMatching(filters: Filter[], enabled: boolean) {
  // As the admin: whom a row may belong to does not depend on whom we look as.
  return orpc.rows.page.queryOptions({
    input: enabled ? { table: 'system.users', request: { limit: LISTED, filters: [{ column: 'deleted_at', op: 'is_null' }, ...filters] } } : skipToken,
  });
}

interface OwnerPickerProps {
  /** The chosen user id ('' for none yet). */
  value: string;
  onChange: (userId: string) => void;
  error: string | undefined;
  disabled?: boolean;
}

/**
 * The owner of a new user or stream row: a list of the existing, non-deleted users to choose from,
 * narrowed by a search on username or user id. A user id is what the engine needs; usernames are
 * shown so that people can find whom they mean, and are never sent in its place.
 */
export function OwnerPicker({ value, onChange, error, disabled = false }: OwnerPickerProps) {
  const id = useId();
  const [search, setSearch] = useState('');
  const term = useDeferredValue(search.trim().toLowerCase());
  const byName = useQuery(usersMatching(term ? [{ column: 'username', op: 'contains', value: term }] : [], true));
  const byId = useQuery(usersMatching([{ column: 'user_id', op: 'contains', value: term }], term !== ''));
  const choices = useMemo(() => ownerChoices(byName.data?.rows, term ? byId.data?.rows : []), [byName.data, byId.data, term]);
  const chosen = choices.find((c) => c.userId === value);
  const hint = chosen
    ? `Belongs to ${chosen.username} (user ID ${chosen.userId}); only they and the admin see it.`
    : 'The user this row belongs to; only they (and the admin) see it.';
  const failed = byName.error ?? byId.error;

  return (
    <div className={`field owner-picker${error ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id}>
        Owner
        <span className="field__required" aria-hidden="true">
          {' '}
          *
        </span>
      </label>
      <input
        className="input owner-picker__search"
        type="search"
        aria-label="Search users by username or user ID"
        placeholder="Search users by username or user ID"
        autoComplete="off"
        spellCheck={false}
        value={search}
        disabled={disabled}
        onChange={(e) => setSearch(e.target.value)}
      />
      <select
        id={id}
        className="select owner-picker__list"
        size={6}
        value={value}
        disabled={disabled}
        aria-required
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, Boolean(error), true)}
        onChange={(e) => onChange(e.target.value)}
      >
        {value !== '' && !chosen ? <option value={value}>{value} (chosen)</option> : null}
        {choices.map((u) => (
          <option key={u.userId} value={u.userId} title={`${u.username} (${u.userId})`}>
            {u.username} — {u.userId}
          </option>
        ))}
      </select>
      {failed ? (
        <p className="field__error" role="alert">
          Users could not be listed: {errorMessage(failed)}
        </p>
      ) : choices.length === 0 && !byName.isPending ? (
        <p className="field__hint" role="status">
          {term ? `No user matches “${term}”.` : 'There are no users to own rows.'}
        </p>
      ) : null}
      <FieldMessages id={id} error={error} hint={hint} />
    </div>
  );
}
