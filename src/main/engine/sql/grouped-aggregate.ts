import type { ColumnType } from '../../../shared/browse';
import type { SqlValue, VirtualTableSource } from '../storage/sqlite/query-connection';
import type { DataTableProvider } from '../tables/data-table-provider';
import type { ColumnBatch } from '../tables/visible-columns';
import { type AggregateCall, aggregateColumn, type GroupedScan } from './query-planner';
import { asSqlInteger, INTEGER_TYPES, type QueryState, toSqlNumber } from './table-sources';

/** Column types whose values SQLite sums as numbers. */
const NUMERIC: ReadonlySet<ColumnType> = new Set(['integer', 'double', 'timestamp', 'boolean']);

/** Whether a grouped scan can answer for this table: known columns, and sums only over numbers. */
export function groupedScanFits(provider: DataTableProvider, scan: GroupedScan): boolean {
  const store = provider.store;
  if (store.kind === 'stream') return false;
  const types = new Map(store.schema.columns.map((c) => [c.name, c.type]));
  if (store.kind === 'user') types.set('_user', 'text');
  if (!scan.groupBy.every((g) => types.has(g))) return false;
  return scan.aggregates.every((a) => {
    if (a.column === null) return a.fn === 'count';
    const type = types.get(a.column);
    if (type === undefined) return false;
    return a.fn === 'count' || a.fn === 'min' || a.fn === 'max' || NUMERIC.has(type);
  });
}

/** SQLite's BINARY order of two texts: their UTF-8 bytes, i.e. code points (UTF-16 units differ above U+D7FF). */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) return (x >= 0xe000 ? x - 0x800 : x + 0x2000) - (y >= 0xe000 ? y - 0x800 : y + 0x2000);
    return x - y;
  }
  return a.length - b.length;
}

/** Values of one column type compare as SQLite compares them: numbers by value, texts by BINARY. */
function less(a: SqlValue, b: SqlValue): boolean {
  return typeof a === 'number' && typeof b === 'number' ? a < b : compareText(String(a), String(b)) < 0;
}

/**
 * One aggregate of one group, computed exactly as SQLite's own function does over the same values:
 * count counts non-nulls; sum, total and avg add REALs with SQLite's Kahan–Babuška–Neumaier
 * summation (func.c, sumStep and kahanBabuskaNeumaierStep), so a result differs from SQLite's only
 * where SQLite's own result depends on the order the rows come in; min and max skip nulls.
 */
class Accumulator {
  count = 0;
  sum = 0;
  err = 0;
  best: SqlValue = null;

  constructor(private readonly fn: AggregateCall['fn']) {}

  add(v: SqlValue): void {
    if (v === null) return;
    this.count++;
    switch (this.fn) {
      case 'count':
        return;
      case 'min':
        if (this.count === 1 || less(v, this.best)) this.best = v;
        return;
      case 'max':
        if (this.count === 1 || less(this.best, v)) this.best = v;
        return;
      default: {
        const r = v as number;
        const s = this.sum;
        const t = s + r;
        if (Math.abs(s) > Math.abs(r)) this.err += s - t + r;
        else this.err += r - t + s;
        this.sum = t;
      }
    }
  }

  /** The counted (count(*)) form of add. */
  addRow(): void {
    this.count++;
  }

  /** The result as SQLite types it: count, and min, max and sum of an integer column, are INTEGERs (`integers`). */
  result(integers: boolean): SqlValue {
    // An overflowed error term is left out, as sqlite3IsOverflow makes SQLite do.
    const total = Number.isFinite(this.err) ? this.sum + this.err : this.sum;
    switch (this.fn) {
      case 'count':
        return BigInt(this.count);
      case 'min':
      case 'max':
        return integers ? asSqlInteger(this.best) : this.best;
      case 'sum':
        // Integers add exactly up to 2^53 here; past that the sum stays a REAL (SQLite's would be an exact INTEGER up to 2^63).
        return this.count === 0 ? null : integers ? asSqlInteger(total) : total;
      case 'total':
        return this.count === 0 ? 0 : total;
      case 'avg':
        return this.count === 0 ? null : total / this.count;
    }
  }
}

interface Group {
  readonly key: SqlValue[];
  readonly accumulators: Accumulator[];
}

/**
 * A grouped aggregate of a data table as a virtual table: one row per group, the GROUP BY columns
 * then one column per aggregate call (see query-planner.ts, groupedScan). The groups are computed
 * inside the scan, over only the columns the query reads (DataTableStore.scanColumns: hot rows and
 * flushed column chunks, merged as every read merges them, within the subject's scope), so only the
 * groups cross into SQLite, which then runs the rest of the statement over them.
 */
export function groupedTableSource(provider: DataTableProvider, scan: GroupedScan, state: QueryState): VirtualTableSource {
  const store = provider.store;
  const label = store.label;
  const types = new Map(provider.columns().map((c) => [c.name, c.type]));
  // The columns read: the group's, then the aggregates' (each once).
  const read = [...new Set([...scan.groupBy, ...scan.aggregates.flatMap((a) => (a.column === null ? [] : [a.column]))])];
  const typeOf = read.map((name) => types.get(name) ?? 'text');
  const groupAt = scan.groupBy.map((g) => read.indexOf(g));
  const argAt = scan.aggregates.map((a) => (a.column === null ? -1 : read.indexOf(a.column)));
  const integerKey = groupAt.map((j) => INTEGER_TYPES.has(typeOf[j]!));
  const integerArg = argAt.map((j) => j >= 0 && INTEGER_TYPES.has(typeOf[j]!));
  const output = (group: Group): SqlValue[] => [
    ...group.key.map((v, i) => (integerKey[i] ? asSqlInteger(v) : v)),
    ...group.accumulators.map((a, i) => a.result(integerArg[i]!)),
  ];
  return {
    columns: [...scan.groupBy, ...scan.aggregates.map((_, i) => aggregateColumn(i))],
    parameters: [],
    *rows() {
      state.check();
      if (store.kind === 'stream') return;
      const prefix = store.readScope(state.subject);
      const note = { table: label, access: 'full scan' as const, rows: 0 };
      state.scans.push(note);
      let groups = new Map<unknown, Group>();
      const single = groupAt.length === 1;
      const values = new Array<SqlValue>(read.length);
      const add = (batch: ColumnBatch) => {
        state.check();
        note.rows += batch.length;
        const columns = batch.columns;
        for (let i = 0; i < batch.length; i++) {
          for (let j = 0; j < read.length; j++) values[j] = toSqlNumber(typeOf[j]!, columns[j]![i]);
          // One GROUP BY column: its value is the group's id (SQLite's REALs and texts never collide in a Map).
          const id = single ? values[groupAt[0]!] : JSON.stringify(groupAt.map((j) => values[j]!));
          let group = groups.get(id);
          if (!group) {
            group = { key: groupAt.map((j) => values[j]!), accumulators: scan.aggregates.map((a) => new Accumulator(a.fn)) };
            groups.set(id, group);
          }
          const accumulators = group.accumulators;
          for (let a = 0; a < accumulators.length; a++) {
            const at = argAt[a]!;
            if (at < 0) accumulators[a]!.addRow();
            else accumulators[a]!.add(values[at]!);
          }
        }
      };
      store.scanColumns(prefix, read, {
        batch: add,
        check: () => state.check(),
        reset: () => {
          groups = new Map();
          note.rows = 0;
        },
      });
      // Without GROUP BY an aggregate has one row, also over no rows (count 0, sum null).
      if (groupAt.length === 0 && groups.size === 0) groups.set('', { key: [], accumulators: scan.aggregates.map((a) => new Accumulator(a.fn)) });
      for (const group of groups.values()) yield output(group);
    },
  };
}
