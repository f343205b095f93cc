import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type FileMetaData, type KeyValue, parquetMetadata, parquetSchema, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { readColumn } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { getTreePath } from 'hyparquet/src/schema.js';
import { EngineError } from '../errors';

/**
 * Key-value metadata of our segments. Row-group key ranges are kept exactly (hex of the first and
 * last storage key of each group) so reads can skip groups without trusting truncated statistics.
 */
export const META = {
  format: 'kalam.format',
  table: 'kalam.table',
  user: 'kalam.user',
  schemaVersion: 'kalam.schema_version',
  primaryKey: 'kalam.primary_key',
  keyRanges: 'kalam.key_ranges',
  tombstones: 'kalam.tombstones',
} as const;

export const SEGMENT_FORMAT = '1';

export interface GroupInfo {
  readonly rows: number;
  readonly minKey: Uint8Array;
  readonly maxKey: Uint8Array;
}

/** What a segment's footer tells a reader, parsed once per file. */
export interface SegmentFooter {
  readonly path: string;
  readonly size: number;
  readonly metadata: FileMetaData;
  readonly tree: SchemaTree;
  readonly groups: readonly GroupInfo[];
  readonly primaryKey: string;
  readonly tombstones: number;
  readonly rows: number;
}

function readRange(fd: number, start: number, length: number): Uint8Array {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, start + done);
    if (n === 0) throw new EngineError('DECODE', 'unexpected end of file');
    done += n;
  }
  return buf;
}

function kv(meta: readonly KeyValue[] | undefined, key: string): string | undefined {
  return meta?.find((e) => e.key === key)?.value;
}

/** Reads and checks the footer of one of our segment files. */
export function readFooter(path: string): SegmentFooter {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 12) throw new EngineError('DECODE', `${path}: not a Parquet file (${size} bytes)`);
    const tail = readRange(fd, size - 8, 8);
    const view = new DataView(tail.buffer, tail.byteOffset, 8);
    const metaLength = view.getUint32(0, true);
    if (view.getUint32(4, true) !== 0x31524150 || metaLength + 12 > size) throw new EngineError('DECODE', `${path}: not a Parquet file (bad footer)`);
    const footer = readRange(fd, size - metaLength - 8, metaLength + 8);
    const metadata = parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.byteLength) as ArrayBuffer);
    const meta = metadata.key_value_metadata;
    if (kv(meta, META.format) !== SEGMENT_FORMAT) throw new EngineError('DECODE', `${path}: not a segment written by this engine`);
    const ranges = JSON.parse(kv(meta, META.keyRanges) ?? '[]') as [string, string][];
    if (ranges.length !== metadata.row_groups.length) throw new EngineError('DECODE', `${path}: key ranges do not match the row groups`);
    const groups = metadata.row_groups.map((g, i) => ({
      rows: Number(g.num_rows),
      minKey: Buffer.from(ranges[i]![0], 'hex'),
      maxKey: Buffer.from(ranges[i]![1], 'hex'),
    }));
    return {
      path,
      size,
      metadata,
      tree: parquetSchema(metadata),
      groups,
      primaryKey: kv(meta, META.primaryKey) ?? '',
      tombstones: Number(kv(meta, META.tombstones) ?? 0),
      rows: Number(metadata.num_rows),
    };
  } finally {
    closeSync(fd);
  }
}

/** Timestamps stay integer milliseconds (the rows' JSON form), not Dates. */
const PARSERS = { ...DEFAULT_PARSERS, timestampFromMilliseconds: (ms: bigint) => (ms === null || ms === undefined ? ms : Number(ms)) as unknown as Date };

/**
 * Decodes some columns of one row group, synchronously (the stores' reads are synchronous): each
 * column chunk is read with one pread and decoded with hyparquet's column reader. Columns the file
 * does not have are left out of the result.
 */
export function readGroupColumns(footer: SegmentFooter, group: number, names: readonly string[]): Map<string, ArrayLike<unknown>> {
  const rowGroup = footer.metadata.row_groups[group];
  if (!rowGroup) throw new EngineError('DECODE', `${footer.path}: no row group ${group}`);
  const rows = Number(rowGroup.num_rows);
  const out = new Map<string, ArrayLike<unknown>>();
  const fd = openSync(footer.path, 'r');
  try {
    for (const chunk of rowGroup.columns) {
      const md = chunk.meta_data;
      const name = md?.path_in_schema[0];
      if (!md || name === undefined || !names.includes(name)) continue;
      const start = Number(md.dictionary_page_offset ?? md.data_page_offset);
      const bytes = readRange(fd, start, Number(md.total_compressed_size));
      const schemaPath = getTreePath(footer.tree, md.path_in_schema);
      const element = schemaPath[schemaPath.length - 1]!.element;
      const { data } = readColumn(
        { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 },
        { groupStart: 0, selectStart: 0, selectEnd: rows, groupRows: rows },
        {
          pathInSchema: md.path_in_schema,
          type: md.type,
          element,
          schemaPath,
          codec: md.codec,
          compressors,
          parsers: PARSERS,
          utf8: element.converted_type === 'UTF8' || element.converted_type === 'JSON',
        },
      );
      const values = data.length === 1 ? data[0]! : data.flatMap((d) => Array.from(d as ArrayLike<unknown>));
      if (values.length !== rows)
        throw new EngineError('DECODE', `${footer.path}: column ${name} of row group ${group} has ${values.length} values, expected ${rows}`);
      out.set(name, values);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
