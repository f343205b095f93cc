import { memo } from 'react';
import type { ColumnType } from '../../../shared/browse';
import { formatCell } from './cell-format';

/** One value, shown according to its column type. */
export const CellValue = memo(function CellValue({ type, value }: { type: ColumnType; value: unknown }) {
  const cell = formatCell(type, value);
  if (cell.spoken) {
    return (
      <span className={`cell cell--${cell.kind} cell--${cell.spoken}`} title={cell.title}>
        <span aria-hidden="true">{cell.text}</span>
        <span className="visually-hidden">{cell.spoken}</span>
      </span>
    );
  }
  return (
    <span className={`cell cell--${cell.kind}`} title={cell.title}>
      {cell.text}
    </span>
  );
});
