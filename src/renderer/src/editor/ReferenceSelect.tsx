import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type Control, useController } from 'react-hook-form';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import type { ReferencedTable } from '../../../shared/column-meta';
import { AS_OPERATOR } from '../view-as/view-as-store';
import type { FormValues, SubmitValues } from './form-values';
import { referenceChoices } from './reference-choices';

/** Rows offered: the referenced tables (storages) are small sets an administrator configures. */
const LISTED = 500;

interface ReferenceSelectProps {
  name: string;
  table: ReferencedTable;
  control: Control<FormValues, unknown, SubmitValues>;
  /** Offer "(none)" (an empty value). */
  empty: boolean;
  a11y: { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined; 'aria-required': boolean | undefined; disabled: boolean };
}

/**
 * A field holding another table's key, as a list of that table's rows (never a free-text id). A
 * stored value no longer among them (its row was deleted) stays shown, marked, until changed.
 */
export function ReferenceSelect({ name, table, control, empty, a11y }: ReferenceSelectProps) {
  const { field } = useController({ name, control });
  // As the operator: which storages exist does not depend on whom we look as.
  const rows = useQuery(orpc.rows.page.queryOptions({ input: { table, request: { limit: LISTED }, ...AS_OPERATOR } }));
  const choices = useMemo(() => referenceChoices(rows.data?.rows ?? [], table), [rows.data, table]);
  const value = typeof field.value === 'string' ? field.value : '';
  const missing = value !== '' && rows.data !== undefined && !choices.some((c) => c.key === value);
  return (
    <>
      <select
        className="select"
        {...a11y}
        disabled={a11y.disabled || rows.isPending}
        name={field.name}
        ref={field.ref}
        value={value}
        onChange={field.onChange}
        onBlur={field.onBlur}
      >
        {rows.isPending ? (
          <option value={value}>Loading…</option>
        ) : (
          <>
            {empty ? <option value="">(none)</option> : null}
            {missing ? <option value={value}>{value} (no longer exists)</option> : null}
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </>
        )}
      </select>
      {rows.isError ? (
        <p className="field__error" role="alert">
          The choices could not be listed: {errorMessage(rows.error)}
        </p>
      ) : null}
    </>
  );
}
