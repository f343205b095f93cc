import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import type { ColumnInfo } from '../../../shared/browse';
import type { ExportParams, ExportResult } from '../../../shared/jobs/io-params';
import { TableIdKey } from '../../../shared/keys/table-id';
import { CleanupJournal } from '../backup/cleanup-journal';
import { parquetElement } from '../cold/parquet-columns';
import { publishFile } from '../cold/durable-fs';
import type { Engine } from '../engine';
import { ValidationError } from '../errors';
import { FLUSH_ROW_GROUP } from '../flush/flush-job';
import { ensureZstd, parquetFileWriter } from '../flush/segment-writer';
import { WHOLE_TABLE_PASS } from '../flush/flush-job';
import { holdPoint } from '../jobs/hold-point';
import { type JobContext, throwIfCancelled } from '../jobs/job-context';
import { SqlQueries } from '../sql/sql-queries';
import { PRIVATE_FILE_MODE } from '../private-files';
import { exportQuery, queryRows } from './query-rows';
import { batchRows, type ExportBatch, exportBatches, selectColumns, tableProvider } from './table-rows';
import { csvFieldWriter, csvWritesAsIs } from '../../../shared/csv-field';
import { csvFieldOfJson, jsonOfJson, parseJsonValue, toCsvField, toJsonValue } from './values';

/** Whether `path` is `dir` or inside it. */
function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The real path of a folder, or itself when it does not exist. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Refuses a destination the export may not write: a folder that does not exist, an existing
 * folder, or anything inside the data directory or a storage's folder (an export never overwrites
 * the database or its segments). Returns the destination with its folder's real path.
 */
export function checkDestination(engine: Engine, file: string): string {
  const refuse = (message: string) => new ValidationError('export', [{ field: 'file', message }]);
  const dir = dirname(file);
  let folder;
  try {
    folder = statSync(dir);
  } catch {
    throw refuse(`the folder ${dir} does not exist`);
  }
  if (!folder.isDirectory()) throw refuse(`${dir} is not a folder`);
  const target = join(realpathSync(dir), basename(file));
  try {
    if (statSync(target).isDirectory()) throw refuse(`${file} is a folder`);
  } catch (e) {
    if (e instanceof ValidationError) throw e;
  }
  const guarded = [dirname(engine.storageDirectory), engine.storageDirectory, ...[...engine.system.storages.scan()].map(([, s]) => s.base_directory)];
  for (const g of guarded) {
    if (inside(real(g), target)) throw refuse(`${file} is inside the app's data (${g}); choose a folder outside it`);
  }
  return target;
}

/** Where rows go: one format's encoder onto the temporary file. */
interface RowSink {
  write(batch: ExportBatch): void;
  /** Writes what is buffered and the format's trailer. */
  end(): void;
  /** Bytes written so far. */
  readonly bytes: number;
}

/** The bytes a text sink gathers before writing them (one buffer, reused: a Buffer per batch is garbage outside the heap). */
const WRITE_BUFFER_BYTES = 1 << 20;

function fdWriter(fd: number) {
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  let bytes = 0;
  const writeAll = (buf: Uint8Array, length: number) => {
    let done = 0;
    while (done < length) done += writeSync(fd, buf, done, length - done);
  };
  const flush = () => {
    writeAll(buffer, used);
    used = 0;
  };
  return {
    write(data: string) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (data.length * 3 > buffer.length - used) {
        flush();
        if (data.length * 3 > buffer.length) {
          const buf = Buffer.from(data, 'utf8');
          writeAll(buf, buf.length);
          bytes += buf.length;
          return;
        }
      }
      const n = buffer.write(data, used, 'utf8');
      used += n;
      bytes += n;
    },
    flush,
    get bytes() {
      return bytes;
    },
  };
}

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
/** The characters of a number's, a timestamp's (ISO 8601) and a boolean's text: such fields need no quoting unless the delimiter is one of them. */
const PLAIN_FIELD_CHARACTERS = '0123456789+-.eETZ:truefalse';
const PLAIN_TYPES = new Set<ColumnInfo['type']>(['integer', 'double', 'timestamp', 'boolean']);

function csvSink(fd: number, columns: readonly ColumnInfo[], delimiter: string, bom: boolean): RowSink {
  const out = fdWriter(fd);
  const field = csvFieldWriter(delimiter);
  // RFC 4180: a header record, then CRLF records (see csvFieldWriter for the quoting).
  out.write(`${bom ? '\uFEFF' : ''}${columns.map((c) => field(c.name)).join(delimiter)}\r\n`);
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  // Columns whose numbers, timestamps and booleans the field writer would write as they are.
  const plainSafe = csvWritesAsIs(delimiter, PLAIN_FIELD_CHARACTERS);
  const plain = types.map((t) => plainSafe && PLAIN_TYPES.has(t));
  return {
    write(batch) {
      // One text and one write per batch.
      let text = '';
      if ('cells' in batch) {
        const { cells, rows, width } = batch;
        for (let r = 0, i = 0; r < rows; r++) {
          for (let c = 0; c < width; c++, i++) {
            if (c > 0) text += delimiter;
            const json = cells[i]!;
            const value = csvFieldOfJson(types[c]!, json);
            const first = json.charCodeAt(0);
            text += plain[c] && first !== QUOTE && first !== OPEN_BRACE && first !== OPEN_BRACKET ? (value ?? '') : field(value);
          }
          text += '\r\n';
        }
      } else {
        for (const r of batch) {
          for (let i = 0; i < names.length; i++) {
            if (i > 0) text += delimiter;
            text += field(toCsvField(types[i]!, r[names[i]!]));
          }
          text += '\r\n';
        }
      }
      out.write(text);
    },
    end() {
      out.flush();
    },
    get bytes() {
      return out.bytes;
    },
  };
}

function jsonlSink(fd: number, columns: readonly ColumnInfo[]): RowSink {
  const out = fdWriter(fd);
  // Each member's name as JSON text, made once: a line is built as text, with no object per row.
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  const keys = names.map((n, i) => `${i === 0 ? '{' : ','}${JSON.stringify(n)}:`);
  const close = names.length === 0 ? '{}\n' : '}\n';
  return {
    write(batch) {
      let text = '';
      if ('cells' in batch) {
        const { cells, rows, width } = batch;
        for (let r = 0, i = 0; r < rows; r++) {
          for (let c = 0; c < width; c++, i++) text += keys[c]! + jsonOfJson(types[c]!, cells[i]!);
          text += close;
        }
      } else {
        for (const r of batch) {
          for (let i = 0; i < names.length; i++) text += keys[i]! + (JSON.stringify(toJsonValue(types[i]!, r[names[i]!])) ?? 'null');
          text += close;
        }
      }
      out.write(text);
    },
    end() {
      out.flush();
    },
    get bytes() {
      return out.bytes;
    },
  };
}

/** What a Parquet column of each type takes (JSON takes any value: the writer serialises it). */
const PARQUET_FITS: Record<ColumnInfo['type'], (value: unknown) => boolean> = {
  integer: (v) => Number.isSafeInteger(v),
  timestamp: (v) => Number.isSafeInteger(v),
  double: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  text: (v) => typeof v === 'string',
  bytes: (v) => typeof v === 'string',
  json: () => true,
};

/**
 * A Parquet value of an export column. A table's values always fit their column; a query's column
 * takes the type of its first rows, and a later value of another type is refused with the way out.
 */
function parquetValue(column: ColumnInfo, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (!PARQUET_FITS[column.type](value)) {
    const message = `${JSON.stringify(value)} is not ${column.type} like the rows before it (a query's column takes the type of its first rows: CAST it in the query, or export CSV or JSON Lines)`;
    throw new ValidationError('export', [{ field: `columns.${column.name}`, message }]);
  }
  switch (column.type) {
    case 'integer':
    case 'timestamp':
      return BigInt(value as number);
    case 'bytes':
      return new Uint8Array(Buffer.from(value as string, 'base64'));
    default:
      return value;
  }
}

/**
 * Characters of values a Parquet export gathers per row group at most, besides FLUSH_ROW_GROUP rows:
 * wide rows make smaller groups, so what a group holds is bounded by bytes (see EXPORT_WORKER_HEAP_MB).
 */
const EXPORT_GROUP_CHARS = 4 * 1024 * 1024;

/** Roughly how many characters a value takes (what EXPORT_GROUP_CHARS counts). */
function charsOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  return typeof value === 'object' && value !== null ? JSON.stringify(value).length : 8;
}

function parquetSink(fd: number, columns: readonly ColumnInfo[], metadata: { key: string; value: string }): RowSink {
  const elements = columns.map((c) => ({
    ...parquetElement({ name: c.name, type: c.type, nullable: true, primary_key: false }),
    repetition_type: 'OPTIONAL' as const,
  }));
  const { sink, writer } = parquetFileWriter(fd, [{ name: 'root', num_children: elements.length }, ...elements], 'kalam-studio export');
  writer.kvMetadata = [metadata];
  const data: unknown[][] = columns.map(() => []);
  let chars = 0;
  const flushGroup = () => {
    const n = data[0]?.length ?? 0;
    chars = 0;
    if (n === 0) return;
    void writer.write({ columnData: columns.map((c, i) => ({ name: c.name, data: data[i]! })), rowGroupSize: n });
    for (const d of data) d.length = 0;
  };
  return {
    write(batch) {
      if ('cells' in batch) {
        const { cells, width } = batch;
        for (let i = 0; i < cells.length; i++) {
          const json = cells[i]!;
          chars += json.length;
          data[i % width]!.push(parquetValue(columns[i % width]!, parseJsonValue(json)));
        }
      } else {
        for (const r of batch) {
          for (let i = 0; i < columns.length; i++) {
            const value = r[columns[i]!.name];
            chars += charsOf(value);
            data[i]!.push(parquetValue(columns[i]!, value));
          }
        }
      }
      // The flush's row-group size (groups large enough for good compression), or fewer rows of wide ones.
      if ((data[0]?.length ?? 0) >= FLUSH_ROW_GROUP || chars >= EXPORT_GROUP_CHARS) flushGroup();
    },
    end() {
      flushGroup();
      void writer.finish();
    },
    get bytes() {
      return sink.offset;
    },
  };
}

/** What an export streams: rows of a table or of a query, the first batch already read (access was checked by it). */
interface ExportSource {
  /** For the result and the progress: "ns.table", or "SQL query". */
  readonly label: string;
  /** Stored in a Parquet file's key-value metadata. */
  readonly metadata: { key: string; value: string };
  readonly columns: readonly ColumnInfo[];
  readonly first: IteratorResult<ExportBatch>;
  readonly pages: Iterator<ExportBatch>;
}

/**
 * The old-generation heap cap of an export's job worker (JobKind.workerHeapMb), in MB. An export
 * holds one batch of rows (StorageBackend.scanText's chunks: at most 1,024 rows and about 4M
 * characters; a grid page of 1,000 rows elsewhere) and one Parquet row group (EXPORT_GROUP_CHARS),
 * so it stays far below this unless single rows are tens of MB wide; without the cap, V8 let
 * garbage grow to 300-390 MB resident in a 1M-row Parquet export (bench/io.ts).
 */
export const EXPORT_WORKER_HEAP_MB = 128;

/**
 * Exports a table (hot and flushed rows, as the subject may read them, the grid's filters, quick
 * search and sort applied) or a SQL query's result into `file`: written under a temporary name
 * beside it (recorded in the cleanup journal, so a killed process's partial file is removed at the
 * next start), fsynced, then renamed. Cancelling, or any failure, removes the temporary file;
 * nothing ever appears under the final name unfinished.
 */
export function runExport(engine: Engine, params: ExportParams, ctx: JobContext): Promise<ExportResult> {
  // One pass over the table: memory-mapped pages would count toward resident memory in proportion to its size.
  return engine.backend.withSettings(WHOLE_TABLE_PASS, () =>
    params.source ? exportQueryResult(engine, params, params.source.sql, ctx) : exportTable(engine, params, ctx),
  );
}

async function exportTable(engine: Engine, params: ExportParams, ctx: JobContext): Promise<ExportResult> {
  if (params.table === undefined) throw new ValidationError('export', [{ field: 'table', message: 'give a table, or a SQL query as `source`' }]);
  const provider = tableProvider(engine, params.table);
  const columns = selectColumns(provider.columns(), params.columns, 'export');
  // Access is decided before any file exists: the first page checks it (ACCESS_DENIED otherwise).
  const view = { filters: params.filters, search: params.search, sort: params.sort };
  const pages = exportBatches(provider, params.subject, view, columns);
  const first = pages.next();
  const table = TableIdKey.display(provider.tableId);
  return writeExport(engine, params, { label: table, metadata: { key: 'kalam.export.table', value: table }, columns, first, pages }, ctx);
}

/** A query's result, read as the console reads it, page by page, on this engine's own query connection. */
async function exportQueryResult(engine: Engine, params: ExportParams, sql: string, ctx: JobContext): Promise<ExportResult> {
  const stopped = () => ctx.signal.aborted;
  const queries = new SqlQueries(engine, stopped);
  try {
    const rows = queryRows(queries, exportQuery(engine, sql, params.subject), stopped);
    try {
      const columns = selectColumns(rows.columns, params.columns, 'export');
      const first = rows.pages.next();
      const metadata = { key: 'kalam.export.query', value: sql };
      return await writeExport(engine, params, { label: 'SQL query', metadata, columns, first, pages: rows.pages }, ctx);
    } finally {
      rows.close();
    }
  } finally {
    queries.close();
  }
}

/** The one streaming path: destination check, temporary file, the format's sink, progress, cancel, fsync and rename. */
async function writeExport(engine: Engine, params: ExportParams, source: ExportSource, ctx: JobContext): Promise<ExportResult> {
  const { columns, pages } = source;
  try {
    const target = checkDestination(engine, params.file);
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
    const journal = new CleanupJournal(engine.backend);
    const journalId = `export:${temp}`;
    journal.set(journalId, [temp], engine.now());
    if (params.format === 'parquet') await ensureZstd();
    const fd = openSync(temp, 'wx', PRIVATE_FILE_MODE);
    let open = true;
    try {
      const sink =
        params.format === 'csv'
          ? csvSink(fd, columns, params.delimiter ?? ',', params.bom ?? false)
          : params.format === 'jsonl'
            ? jsonlSink(fd, columns)
            : parquetSink(fd, columns, source.metadata);
      let rows = 0;
      const started = performance.now();
      const report = (phase: string) => {
        const secs = (performance.now() - started) / 1000;
        ctx.report({ phase, done: rows, total: null, rate: secs > 0 ? Math.round(rows / secs) : null, bytes: sink.bytes });
      };
      let step = source.first;
      let pagesDone = 0;
      while (!step.done) {
        sink.write(step.value);
        rows += batchRows(step.value);
        if (++pagesDone % 10 === 0) {
          report('exporting');
          // Let a cancel in (in-process jobs), then check it.
          await new Promise<void>((resolve) => setImmediate(resolve));
          await holdPoint('export-page', ctx);
        }
        throwIfCancelled(ctx);
        step = pages.next();
      }
      sink.end();
      fsyncSync(fd);
      closeSync(fd);
      open = false;
      const bytes = statSync(temp).size;
      throwIfCancelled(ctx);
      publishFile(temp, target);
      journal.clear(journalId);
      report('done');
      return { table: source.label, file: target, format: params.format, rows, bytes, columns: columns.map((c) => c.name) };
    } catch (e) {
      if (open) closeSync(fd);
      rmSync(temp, { force: true });
      journal.clear(journalId);
      throw e;
    }
  } finally {
    // A source left early (a failure, a cancel) releases what it holds: a query's statement.
    pages.return?.();
  }
}
