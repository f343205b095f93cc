import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { compress, init } from '@bokuweb/zstd-wasm';
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { toHex } from '../../../shared/keys/tuple';
import { ColumnBuffers, segmentSchema } from '../cold/parquet-columns';
import { META, SEGMENT_FORMAT } from '../cold/segment-file';
import { PRIVATE_FILE_MODE } from '../private-files';
import type { TableSchema } from '../tables/table-schema';

/** zstd level: 3 is zstd's default, a good speed/size balance for row data. */
const ZSTD_LEVEL = 3;

type WriterOptions = ConstructorParameters<typeof ParquetWriter>[0];

let zstdReady: Promise<void> | undefined;

/** Loads the zstd WebAssembly module once per process (compression is synchronous afterwards). */
export function ensureZstd(): Promise<void> {
  zstdReady ??= init();
  return zstdReady;
}

/**
 * hyparquet-writer's buffer, drained to a file descriptor after every row group, so memory holds
 * at most one encoded row group whatever the file size.
 */
export class FileSink extends ByteWriter {
  constructor(private readonly fd: number) {
    super(1 << 20);
  }

  flush(): void {
    let done = 0;
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.index = 0;
  }

  override finish(): void {
    this.flush();
    fsyncSync(this.fd);
  }
}

/**
 * A Parquet writer onto an open file: zstd pages and column statistics, as every Parquet file the
 * app writes (segments, exports). Call ensureZstd() first.
 */
export function parquetFileWriter(fd: number, schema: SchemaElement[], createdBy: string): { sink: FileSink; writer: ParquetWriter } {
  const sink = new FileSink(fd);
  const writer = new ParquetWriter({
    writer: sink,
    schema: schema as WriterOptions['schema'],
    codec: 'ZSTD',
    compressors: { ZSTD: (bytes: Uint8Array) => compress(bytes, ZSTD_LEVEL) },
    statistics: true,
    createdBy,
  });
  return { sink, writer };
}

export interface SegmentInfo {
  readonly rows: number;
  readonly tombstones: number;
  readonly bytes: number;
  readonly minSeq: number;
  readonly maxSeq: number;
}

/**
 * Writes one segment file: rows in key order, one row group per `writeBuffered` call, zstd pages,
 * column statistics, and the exact key range of every row group in the footer's metadata.
 * `finish` syncs the file; publishing it (rename) is the caller's step.
 */
export class SegmentWriter {
  private readonly fd: number;
  private readonly sink: FileSink;
  private readonly writer: ParquetWriter;
  /** The row group being assembled: filled by a reader, then written by writeBuffered. */
  readonly buffers: ColumnBuffers;
  private readonly ranges: [string, string][] = [];
  private rows = 0;
  private tombstones = 0;
  private minSeq = Number.POSITIVE_INFINITY;
  private maxSeq = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly schema: TableSchema,
    private readonly user: string | null,
  ) {
    this.fd = openSync(path, 'w', PRIVATE_FILE_MODE);
    ({ sink: this.sink, writer: this.writer } = parquetFileWriter(this.fd, segmentSchema(schema.columns, schema.type === 'user'), 'kalam-studio flush'));
    this.buffers = new ColumnBuffers(schema.columns, schema.type === 'user');
  }

  static async create(path: string, schema: TableSchema, user: string | null): Promise<SegmentWriter> {
    await ensureZstd();
    return new SegmentWriter(path, schema, user);
  }

  /**
   * Writes the rows already in `buffers` as one row group (keys first..last, in key order, after
   * those of earlier groups). The arrays are reused for the next group.
   */
  writeBuffered(firstKey: Uint8Array, lastKey: Uint8Array): void {
    const n = this.buffers.length;
    if (n === 0) return;
    const { seqs, deleted } = this.buffers.system;
    for (let i = 0; i < n; i++) {
      if (deleted[i]) this.tombstones++;
      const seq = Number(seqs[i]);
      if (seq < this.minSeq) this.minSeq = seq;
      if (seq > this.maxSeq) this.maxSeq = seq;
    }
    this.ranges.push([toHex(firstKey), toHex(lastKey)]);
    void this.writer.write({ columnData: this.buffers.columnData(), rowGroupSize: n });
    this.rows += n;
  }

  /** Writes the footer and syncs the file to disk. */
  finish(): SegmentInfo {
    // The footer's key-value metadata is written by finish(); the ranges are only known now.
    this.writer.kvMetadata = [
      { key: META.format, value: SEGMENT_FORMAT },
      { key: META.table, value: this.schema.label },
      { key: META.user, value: this.user ?? '' },
      { key: META.schemaVersion, value: String(this.schema.version) },
      { key: META.primaryKey, value: this.schema.primaryKey.name },
      { key: META.tombstones, value: String(this.tombstones) },
      { key: META.keyRanges, value: JSON.stringify(this.ranges) },
    ];
    void this.writer.finish();
    const bytes = this.sink.offset;
    this.close();
    return { rows: this.rows, tombstones: this.tombstones, bytes, minSeq: this.rows === 0 ? 0 : this.minSeq, maxSeq: this.maxSeq };
  }

  /** Closes and deletes the unfinished file. */
  abort(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
