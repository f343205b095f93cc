import { ColumnTypeSchema } from '../../../shared/browse';

/** One <option> per column type, for a column's type <select>. */
export function ColumnTypeOptions() {
  return ColumnTypeSchema.options.map((t) => (
    <option key={t} value={t}>
      {t}
    </option>
  ));
}
