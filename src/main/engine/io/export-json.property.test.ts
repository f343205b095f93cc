import fc from 'fast-check';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ColumnType } from '../../../shared/browse';
import { SYSTEM_SUBJECT } from '../access/subject';
import { JsonMemberReader } from '../codec/json-members';
import { runFlush } from '../flush/flush-job';
import { testJobContext } from '../flush/testing/flush.test-support';
import { useTestEngine } from '../flush/testing/test-engine.test-support';
import { DataTableProvider } from '../tables/data-table-provider';
import { tid } from '../tables/testing.test-support';
import { ADMIN_SUBJECT, exportTo, outDirBeside } from './testing/io.test-support';
import { COLUMN_TYPES, columnValue } from './testing/io-values.test-support';
import { csvFieldOfJson, jsonOfJson, parseJsonValue, toCsvField, toJsonValue } from './values';

/**
 * CSV and JSON Lines exports of a data table read its rows as the JSON text of their values
 * (DataTableProvider.jsonBatches: hot rows split by JsonMemberReader, other rows stringified); the
 * values path (rowBatches, what filtered views and sorted ones read) is the oracle. Random
 * shared tables with every column type, nulls and unicode; rows hot only (the split text) or hot
 * and flushed, updated and deleted; a column added after some rows were written (they lack it and
 * read its default).
 */
const env = useTestEngine('all');
let out: string | undefined;
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

interface Case {
  readonly columns: { name: string; type: ColumnType }[];
  readonly rows: Record<string, unknown>[];
  readonly flushed: number | undefined;
  readonly updates: { key: number; column: number; value: unknown }[];
  readonly deletes: number[];
  readonly added: { type: ColumnType; fill: unknown } | undefined;
}

const caseArb: fc.Arbitrary<Case> = fc.shuffledSubarray(COLUMN_TYPES, { minLength: 1 }).chain((picked) => {
  const columns = [...picked, ...COLUMN_TYPES].map((type, i) => ({ name: `c${i}`, type }));
  const row = (id: number) =>
    fc.tuple(...columns.map((c) => fc.option(columnValue(c.type), { nil: null, freq: 4 }))).map((vals) => ({
      id,
      ...Object.fromEntries(columns.map((c, i) => [c.name, vals[i]])),
    }));
  return fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 15 }).chain((keys) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.tuple(...keys.map(row)),
      // Half the tables are hot only: their rows are read as text and split.
      flushed: fc.oneof(fc.constant(undefined), fc.nat({ max: keys.length })),
      updates: fc.array(
        fc
          .integer({ min: 0, max: columns.length - 1 })
          .chain((column) =>
            fc.record({ key: fc.constantFrom(...keys), column: fc.constant(column), value: fc.option(columnValue(columns[column]!.type), { nil: null }) }),
          ),
        { maxLength: 3 },
      ),
      deletes: fc.subarray(keys, { maxLength: Math.min(3, keys.length) }),
      added: fc.option(
        fc.constantFrom(...COLUMN_TYPES).chain((type) => fc.record({ type: fc.constant(type), fill: columnValue(type).filter((v) => v !== null) })),
        { nil: undefined },
      ),
    }),
  );
});

let n = 0;

/** A Parquet file's rows as hyparquet reads them (the row groups may be cut elsewhere). */
async function parquetRows(path: string): Promise<Record<string, unknown>[]> {
  return parquetReadObjects({ file: await asyncBufferFromFile(path), compressors });
}

describe('exports that read rows as JSON text', () => {
  it('give every column of every row the CSV field, JSON Lines and Parquet value the values give, and write the same files', async () => {
    out = outDirBeside(env.data.dir);
    const split = vi.spyOn(JsonMemberReader.prototype, 'read');
    let splitRuns = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const label = `app.t${++n}`;
        env.engine.ddl.createTable(SYSTEM_SUBJECT, {
          namespace: 'app',
          name: `t${n}`,
          type: 'shared',
          columns: [{ name: 'id', type: 'integer', primary_key: true }, ...c.columns],
        });
        const store = env.engine.data.shared(tid(label));
        const cut = c.flushed ?? c.rows.length;
        store.insertRows(SYSTEM_SUBJECT, c.rows.slice(0, cut));
        if (c.flushed !== undefined) {
          await runFlush(env.engine, { table: label }, testJobContext());
          store.insertRows(SYSTEM_SUBJECT, c.rows.slice(cut));
        }
        for (const u of c.updates) store.updateRow(SYSTEM_SUBJECT, u.key, { [c.columns[u.column]!.name]: u.value });
        for (const key of c.deletes) store.deleteRow(SYSTEM_SUBJECT, key);
        if (c.added) {
          const column = { name: 'added', type: c.added.type, nullable: false, default: c.added.fill };
          env.engine.ddl.alterTable(SYSTEM_SUBJECT, label, { action: 'add_column', column });
        }

        const provider = env.engine.data.provider(tid(label));
        expect(provider).toBeInstanceOf(DataTableProvider);
        const columns = provider.columns();
        const values = [...provider.rowBatches(ADMIN_SUBJECT)].flat();
        split.mockClear();
        const batches = [
          ...provider.jsonBatches(
            ADMIN_SUBJECT,
            {},
            columns.map((col) => col.name),
          )!,
        ];
        // Hot rows only: read as text and split (with segments, the merged rows are stringified).
        if (c.flushed === undefined && values.length > 0) {
          expect(split).toHaveBeenCalled();
          splitRuns++;
        }
        const cells = batches.flatMap((b) => {
          expect(b.cells).toHaveLength(b.rows * b.width);
          return [...b.cells];
        });
        expect(cells).toHaveLength(values.length * columns.length);
        values.forEach((row, r) =>
          columns.forEach((col, i) => {
            const json = cells[r * columns.length + i]!;
            const value = row[col.name];
            expect(json).toBe(JSON.stringify(value) ?? 'null');
            expect(parseJsonValue(json)).toEqual(value ?? null);
            expect(csvFieldOfJson(col.type, json)).toBe(toCsvField(col.type, value));
            expect(jsonOfJson(col.type, json)).toBe(JSON.stringify(toJsonValue(col.type, value)) ?? 'null');
          }),
        );

        // Whole files: a filter that keeps every row makes the export read values (the oracle).
        for (const format of ['csv', 'jsonl', 'parquet'] as const) {
          for (const delimiter of format === 'csv' ? [',', '.', 'e'] : [undefined]) {
            const asText = join(out!, `t${n}.text.${format}`);
            const asValues = join(out!, `t${n}.values.${format}`);
            // Some exports name columns, one of them twice.
            const named = n % 3 === 0 ? { columns: ['c1', 'id', 'c0', 'c1'] } : {};
            const more = { format, ...named, ...(delimiter ? { delimiter } : {}) };
            await exportTo(env.engine, label, asText, more);
            await exportTo(env.engine, label, asValues, { ...more, filters: [{ column: 'id', op: 'not_null' }] });
            if (format === 'parquet') expect(await parquetRows(asText)).toEqual(await parquetRows(asValues));
            else expect(readFileSync(asText, 'utf8')).toBe(readFileSync(asValues, 'utf8'));
          }
        }
      }),
      { numRuns: 40 },
    );
    // Enough of the runs took the split path.
    expect(splitRuns).toBeGreaterThan(10);
  });
});
