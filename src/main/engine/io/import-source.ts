import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { CsvError, parse } from 'csv-parse';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../../../shared/browse';
import type { ImportFormat, ImportPreview } from '../../../shared/jobs/io-params';
import { EngineError, ValidationError } from '../errors';
import { clip, fromText, ValueError } from './values';

/** The longest single CSV record (and JSON line) an import reads: past it the file is refused. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;
/** Records read to infer column types (preview, and tables created from a file). */
export const SAMPLE_ROWS = 1000;

/** A file that cannot be imported at all (nothing is written): its field is "file". */
export function fileError(message: string): ValidationError {
  return new ValidationError('import', [{ field: 'file', message }]);
}

/** One record of a file: values by file column, the line it starts on (Parquet: the row number), or why it cannot be read. */
export interface SourceRecord {
  readonly line: number;
  readonly values: Record<string, unknown>;
  /** A record that is not a row at all (ragged, not JSON, not an object). */
  readonly problem?: { readonly column: string; readonly value: string; readonly reason: string };
}

export interface ImportSource {
  readonly format: ImportFormat;
  readonly delimiter: string | null;
  /** File columns in file order (JSON Lines: those of the sample, then any met later are still read). */
  readonly columns: readonly string[];
  /** Column types the file declares (Parquet), else undefined. */
  readonly declared: ReadonlyMap<string, ColumnType> | undefined;
  /** How values of a file column become a column type's values: CSV text, JSON values or Parquet values. */
  readonly valueKind: 'text' | 'json' | 'parquet';
  /** The file's records in order, in batches (CSV: those of one chunk of the file), so that no record costs an await. */
  batches(): AsyncGenerator<SourceRecord[]>;
}

/** A source's records one by one (samples). */
export async function* eachRecord(source: ImportSource): AsyncGenerator<SourceRecord> {
  for await (const batch of source.batches()) yield* batch;
}

/** Records between yields of a source read record by record (JSON Lines). */
const BATCH_RECORDS = 1000;

async function* inBatches(records: AsyncIterable<SourceRecord>): AsyncGenerator<SourceRecord[]> {
  let batch: SourceRecord[] = [];
  for await (const r of records) {
    batch.push(r);
    if (batch.length >= BATCH_RECORDS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** The first bytes of a file, for sniffing; typed errors for a missing, unreadable, empty or binary file. */
function head(path: string, format: ImportFormat | undefined): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw fileError(`${path} is a folder, not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new EngineError('NOT_FOUND', code === 'ENOENT' ? `${path} does not exist` : `${path} cannot be read (${code ?? String(e)})`);
  }
  if (size === 0) throw fileError(`${path} is empty`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const buf = Buffer.alloc(Math.min(size, 64 * 1024));
    const n = readSync(fd, buf, 0, buf.length, 0);
    const bytes = buf.subarray(0, n);
    if (format !== 'parquet' && !isParquet(bytes) && bytes.includes(0)) {
      throw fileError(`${path} looks binary (it holds NUL bytes), not CSV, TSV or JSON Lines text`);
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}

const isParquet = (bytes: Uint8Array) => bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'PAR1';

/** The format a file's name and first bytes say. */
function detectFormat(path: string, bytes: Buffer): ImportFormat {
  if (isParquet(bytes)) return 'parquet';
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.csv')) return 'csv';
  const text = bytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('{') ? 'jsonl' : 'csv';
}

/** The delimiter the header line uses most: comma, semicolon, tab or pipe. */
function detectDelimiter(bytes: Buffer): string {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  let best = ',';
  let most = 0;
  for (const d of [',', ';', '\t', '|']) {
    const n = first.split(d).length - 1;
    if (n > most) {
      most = n;
      best = d;
    }
  }
  return best;
}

/**
 * Bytes of a file read (and parsed) at a time: small, as the import's spool (see SPOOL_CHUNK in
 * tables/row-spool.ts); 1M-row import: peak RSS about 295 MB with 64 KB, 305-310 MB with 256 KB.
 */
const TEXT_CHUNK = 1 << 16;

/** Where the last whole UTF-8 character of `bytes` ends (a sequence cut by the chunk's end starts there). */
function wholeCharacters(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + length <= bytes.length ? bytes.length : i;
  }
  return bytes.length;
}

/**
 * A file's bytes in chunks that are UTF-8 text and end on a character's end; a byte sequence that
 * is not UTF-8 fails the whole import (no guessing of encodings). The CSV parser reads bytes: handing
 * it text would decode the file only for the parser to encode it again.
 */
export async function* utf8Chunks(path: string, chunkBytes = TEXT_CHUNK): AsyncGenerator<Buffer> {
  let offset = 0;
  let carry: Buffer | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    const bytes = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const end = wholeCharacters(bytes);
    const whole = bytes.subarray(0, end);
    if (!isUtf8(whole)) throw fileError(`${path} is not UTF-8 text (an invalid byte sequence near byte ${offset}); save it as UTF-8 and import it again`);
    carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
    offset += end;
    if (whole.length > 0) yield whole;
  }
  if (carry) throw fileError(`${path} is not UTF-8 text (it ends inside a character)`);
}

/** UTF-8 text of a file (see utf8Chunks); a leading BOM is kept, for the readers to skip. */
async function* utf8Text(path: string): AsyncGenerator<string> {
  for await (const bytes of utf8Chunks(path)) yield bytes.toString('utf8');
}

function csvSource(path: string, format: 'csv' | 'tsv', delimiter: string, header: readonly string[]): ImportSource {
  return {
    format,
    delimiter,
    columns: header,
    declared: undefined,
    valueKind: 'text',
    async *batches() {
      const parser = parse({
        delimiter,
        bom: true,
        relax_column_count: true,
        info: true,
        max_record_size: MAX_RECORD_CHARS,
        // Empty unquoted field: null; "" (quoted): the empty string.
        cast: (value, context) => (context.quoting ? value : value === '' ? null : value),
      });
      // The parser is fed a chunk of text at a time and hands over the chunk's records as it parses
      // them: one batch per chunk, rather than an await per record through its async iterator.
      const parsed: { record: (string | null)[]; info: { lines: number } }[] = [];
      let failure: Error | undefined;
      parser.on('data', (item: { record: (string | null)[]; info: { lines: number } }) => parsed.push(item));
      parser.on('error', (e) => {
        failure ??= e;
      });
      const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('close', resolve));
      let lastLine = 0;
      let first = true;
      const take = (): SourceRecord[] => {
        const out: SourceRecord[] = [];
        for (const item of parsed) {
          const line = lastLine + 1;
          lastLine = item.info.lines;
          if (first) {
            first = false;
            continue;
          }
          const record = item.record;
          // A blank line between records (of a file with several columns) is no row.
          if (record.length === 1 && record[0] === null && header.length > 1) continue;
          const values: Record<string, unknown> = {};
          for (let i = 0; i < Math.min(record.length, header.length); i++) values[header[i]!] = record[i];
          if (record.length !== header.length) {
            out.push({
              line,
              values,
              problem: {
                column: '',
                value: clip(record.map((f) => f ?? '').join(delimiter)),
                reason: `has ${record.length} fields, the header has ${header.length}`,
              },
            });
          } else out.push({ line, values });
        }
        parsed.length = 0;
        return out;
      };
      try {
        for await (const bytes of utf8Chunks(path)) {
          parser.write(bytes);
          // Records a parser pushes while it is not flowing yet come out on the next turns.
          await new Promise<void>((resolve) => setImmediate(resolve));
          const batch = take();
          if (batch.length > 0) yield batch;
          if (failure !== undefined) throw failure;
        }
        parser.end();
        await ended;
        const batch = take();
        if (batch.length > 0) yield batch;
        if (failure !== undefined) throw failure;
      } catch (e) {
        throw csvError(path, e);
      } finally {
        parser.destroy();
      }
    },
  };
}

function csvError(path: string, e: unknown): Error {
  if (e instanceof EngineError) return e;
  const err = e as { code?: string; message?: string; lines?: number };
  if (err.code === 'CSV_MAX_RECORD_SIZE') {
    return fileError(
      `${path}: a record near line ${err.lines ?? '?'} is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters (an unclosed quote?)`,
    );
  }
  if (e instanceof CsvError) return fileError(`${path}: ${err.message ?? err.code}`);
  return e instanceof Error ? e : new Error(String(e));
}

/** The header record of a CSV or TSV file (csv-parse reads it, so quoted names work). */
async function csvHeader(path: string, delimiter: string): Promise<string[]> {
  const parser = parse({ delimiter, bom: true, relax_column_count: true, to_line: 1, max_record_size: MAX_RECORD_CHARS });
  const input = Readable.from(utf8Text(path));
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      header ??= record;
    }
  } catch (e) {
    throw csvError(path, e);
  } finally {
    input.destroy();
  }
  if (!header || header.every((h) => h.trim() === '')) throw fileError(`${path} has no header row`);
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name.trim() === '') throw fileError(`${path}: column ${i + 1} of the header has no name`);
    if (seen.has(name)) throw fileError(`${path}: the header names column "${name}" twice`);
    seen.add(name);
  });
  return header;
}

function jsonlSource(path: string, columns: readonly string[]): ImportSource {
  return {
    format: 'jsonl',
    delimiter: null,
    columns,
    declared: undefined,
    valueKind: 'json',
    batches() {
      return inBatches(jsonlRecords(path));
    },
  };
}

async function* jsonlRecords(path: string): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input: Readable.from(utf8Text(path)), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    if (text.length > MAX_RECORD_CHARS) throw fileError(`${path}: line ${n} is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      yield { line: n, values: {}, problem: { column: '', value: clip(text), reason: `not JSON: ${(e as Error).message}` } };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line: n, values: {}, problem: { column: '', value: clip(text), reason: 'a line must be a JSON object of column values' } };
      continue;
    }
    yield { line: n, values: value as Record<string, unknown> };
  }
}

/** The column type a Parquet column is read as (the inverse of cold/parquet-columns.ts parquetElement). */
function parquetColumnType(node: SchemaTree): ColumnType {
  const e = node.element;
  const logical = e.logical_type?.type;
  if (logical === 'JSON' || e.converted_type === 'JSON') return 'json';
  if (logical === 'TIMESTAMP' || e.converted_type === 'TIMESTAMP_MILLIS' || e.converted_type === 'TIMESTAMP_MICROS' || logical === 'DATE') return 'timestamp';
  if (logical === 'STRING' || e.converted_type === 'UTF8' || logical === 'ENUM' || logical === 'UUID') return 'text';
  switch (e.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'double';
    case 'BYTE_ARRAY':
    case 'FIXED_LEN_BYTE_ARRAY':
      return 'bytes';
    default:
      return 'json';
  }
}

async function parquetSource(path: string): Promise<ImportSource> {
  let file;
  let metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw fileError(`${path} is not a readable Parquet file (${(e as Error).message})`);
  }
  const tree = parquetSchema(metadata);
  const declared = new Map<string, ColumnType>(tree.children.map((c) => [c.element.name, parquetColumnType(c)]));
  const columns = [...declared.keys()];
  const groups = metadata.row_groups.map((g) => Number(g.num_rows));
  return {
    format: 'parquet',
    delimiter: null,
    columns,
    declared,
    valueKind: 'parquet',
    async *batches() {
      let start = 0;
      // One row group at a time: memory holds one group's decoded rows.
      for (const n of groups) {
        const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: start + n, compressors, utf8: false });
        const first = start;
        if (rows.length > 0) yield rows.map((values, i) => ({ line: first + i + 1, values: values as Record<string, unknown> }));
        start += n;
      }
    },
  };
}

/** Opens a file for import: format (given or detected), delimiter, columns; typed errors for files that cannot be read at all. */
export async function openSource(path: string, options: { format?: ImportFormat | undefined; delimiter?: string | undefined } = {}): Promise<ImportSource> {
  const bytes = head(path, options.format);
  const format = options.format ?? detectFormat(path, bytes);
  if (format === 'parquet') {
    if (!isParquet(bytes)) throw fileError(`${path} is not a Parquet file (it does not start with PAR1)`);
    return parquetSource(path);
  }
  if (format === 'jsonl') {
    const columns: string[] = [];
    const seen = new Set<string>();
    let n = 0;
    for await (const r of jsonlRecords(path)) {
      for (const k of Object.keys(r.values)) {
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
      }
      if (++n >= SAMPLE_ROWS) break;
    }
    if (columns.length === 0) throw fileError(`${path} has no JSON object lines`);
    return jsonlSource(path, columns);
  }
  const delimiter = options.delimiter ?? (format === 'tsv' ? '\t' : detectDelimiter(bytes));
  return csvSource(path, format, delimiter, await csvHeader(path, delimiter));
}

/** The type of one sample value, or undefined for null. */
function typeOfValue(kind: ImportSource['valueKind'], value: unknown): ColumnType | undefined {
  if (value === null || value === undefined) return undefined;
  if (kind === 'text') {
    const text = value as string;
    for (const type of ['integer', 'double', 'boolean', 'timestamp'] as const) {
      try {
        fromText(type, text);
        // Integers and booleans written as 1/0 stay integers; only true/false text makes a boolean.
        if (type === 'boolean' && !/^(true|false)$/i.test(text.trim())) continue;
        // Only ISO texts make timestamps (integers are integers).
        if (type === 'timestamp' && /^[+-]?\d+$/.test(text.trim())) continue;
        return type;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
      }
    }
    const t = text.trim();
    if ((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']'))) {
      try {
        JSON.parse(t);
        return 'json';
      } catch {
        return 'text';
      }
    }
    return 'text';
  }
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  if (typeof value === 'string') {
    try {
      if (!/^[+-]?\d+$/.test(value.trim())) {
        fromText('timestamp', value);
        return 'timestamp';
      }
    } catch {
      // text
    }
    return 'text';
  }
  return 'json';
}

/** The narrowest type that holds both. */
function widen(a: ColumnType | undefined, b: ColumnType): ColumnType {
  if (a === undefined || a === b) return b;
  if ((a === 'integer' && b === 'double') || (a === 'double' && b === 'integer')) return 'double';
  return 'text';
}

export interface SampleColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** The first rows of a source and each column's inferred type (Parquet: its declared type). */
export async function sampleSource(source: ImportSource, rows = SAMPLE_ROWS): Promise<{ columns: SampleColumn[]; records: SourceRecord[] }> {
  const records: SourceRecord[] = [];
  const types = new Map<string, ColumnType | undefined>(source.columns.map((c) => [c, undefined]));
  const nulls = new Set<string>();
  for await (const r of eachRecord(source)) {
    records.push(r);
    if (!r.problem) {
      for (const c of source.columns) {
        const t = typeOfValue(source.valueKind, r.values[c]);
        if (t === undefined) nulls.add(c);
        else types.set(c, widen(types.get(c), t));
      }
    }
    if (records.length >= rows) break;
  }
  const columns = source.columns.map((name) => ({
    name,
    type: source.declared?.get(name) ?? types.get(name) ?? 'text',
    nullable: nulls.has(name) || records.length === 0,
  }));
  return { columns, records };
}

/** What the import dialog shows before anything is written. */
export async function previewFile(
  path: string,
  options: { format?: ImportFormat | undefined; delimiter?: string | undefined; rows?: number },
): Promise<ImportPreview> {
  const source = await openSource(path, options);
  const { columns, records } = await sampleSource(source);
  const shown = records.slice(0, options.rows ?? 20).map((r) => source.columns.map((c) => previewValue(r.values[c])));
  return { format: source.format, delimiter: source.delimiter, columns, rows: shown, sampled: records.length };
}

/** A file value as the contract carries it (bigint and bytes as text). */
function previewValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'string') return clip(value, 1000);
  return value;
}
