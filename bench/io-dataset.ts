import type { ColumnDefinition } from '../src/shared/system/tables';

/** The io benches' table: 8 columns of integers, doubles, text, a timestamp, and nulls (a third of `note`, half of `maybe`). */
export const COLUMNS: ColumnDefinition[] = [
  { name: 'id', type: 'integer', nullable: false, primary_key: true },
  { name: 'qty', type: 'integer', nullable: false, primary_key: false },
  { name: 'price', type: 'double', nullable: false, primary_key: false },
  { name: 'ratio', type: 'double', nullable: false, primary_key: false },
  { name: 'name', type: 'text', nullable: false, primary_key: false },
  { name: 'note', type: 'text', nullable: true, primary_key: false },
  { name: 'created_at', type: 'timestamp', nullable: false, primary_key: false },
  { name: 'maybe', type: 'integer', nullable: true, primary_key: false },
];

/** Issue 15's budgets: an import of at least this many rows/s, and a peak RSS under this many MB. */
export const IMPORT_RATE_BUDGET = 150_000;
export const RSS_BUDGET_MB = 300;

const T0 = 1_700_000_000_000;

/** Row i of the table (ids from 1). */
export const rowOf = (i: number) => ({
  id: i,
  qty: (i * 7919) % 100_000,
  price: i / 7,
  ratio: Math.sin(i),
  name: `item ${i}`,
  note: i % 3 === 0 ? null : `generated row ${i}, with a comma and "quotes"`,
  created_at: T0 + i * 1000,
  maybe: i % 2 === 0 ? null : i,
});
