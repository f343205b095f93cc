import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { UserId } from '../../../shared/keys/user-id';
import { PRIVATE_FILE_MODE } from '../private-files';
import type { RowValues } from './row-schema';
import type { TableSchema } from './table-schema';

/**
 * Bytes of spool written (and read back) at a time. Small: what a job holds between two writes
 * outlives the young generation, and a worker's old generation grows with it (1M rows: peak RSS
 * 258 MB with 64 KB here and 256 KB text chunks, 340-420 MB with 1 MB).
 */
const SPOOL_CHUNK = 1 << 16;
/** Owner length that means "no owner". */
const NO_OWNER = 0xffff;
/** Fixed part of a record: line (f64), owner length (u16), key length (u32), JSON length (u32). */
const FIXED = 8 + 2 + 4 + 4;

/** Made only here: a SpooledRow comes from a RowSpool, which validated it. */
const SPOOLED: unique symbol = Symbol('spooled row');

/** One row read back from a spool: checked against `schema` when it was spooled. */
export class SpooledRow {
  constructor(
    token: typeof SPOOLED,
    readonly schema: TableSchema,
    /** The line (or row number) of the file it came from. */
    readonly line: number,
    readonly owner: UserId | undefined,
    /** The RowId of its primary key. */
    readonly rowId: Uint8Array,
    /** The JSON text (UTF-8) of its validated values, in column order. */
    readonly json: Uint8Array,
  ) {
    if (token !== SPOOLED) throw new Error('a SpooledRow comes from a RowSpool');
  }

  /** Its validated values (parsed again: for the paths that write one row at a time). */
  values(): RowValues {
    return JSON.parse(Buffer.from(this.json.buffer, this.json.byteOffset, this.json.byteLength).toString('utf8')) as RowValues;
  }
}

/**
 * Rows validated now and inserted later, by KeyedTableStore.insertSpooled: an import checks the
 * whole file before its write transaction, which does not hold the lock meanwhile. Each row is
 * checked once, with the table's own rules (TableSchema.validate: the row forms'), when it is
 * pushed; the spool keeps its RowId and JSON text in a private file (in the data directory), so the
 * write neither parses, checks nor serializes it again. Memory holds one chunk of the file.
 *
 * A record: line f64 | owner length u16 (0xffff: none) | key length u32 | JSON length u32 | owner
 * UTF-8 | key | JSON UTF-8 (little-endian).
 */
export class RowSpool {
  private fd: number;
  private chunk = Buffer.allocUnsafe(SPOOL_CHUNK);
  private used = 0;
  /** Rows pushed. */
  count = 0;

  constructor(
    readonly schema: TableSchema,
    readonly path: string,
  ) {
    this.fd = openSync(path, 'w', PRIVATE_FILE_MODE);
  }

  /** Validates the values (a ValidationError names each bad field; nothing is spooled) and spools the row. */
  push(line: number, owner: UserId | undefined, values: unknown): void {
    const row = this.schema.validate(values);
    const rowId = this.schema.rowIdOfRow(row);
    const json = JSON.stringify(row);
    const ownerText = owner ?? '';
    // At most 3 bytes per UTF-16 unit: room for the record before encoding it, in one pass.
    const most = FIXED + 3 * ownerText.length + rowId.length + 3 * json.length;
    if (this.used + most > this.chunk.length) {
      this.flush();
      if (most > this.chunk.length) this.chunk = Buffer.allocUnsafe(most);
    }
    const b = this.chunk;
    const at = this.used;
    let p = at + FIXED;
    const ownerBytes = owner === undefined ? 0 : b.write(ownerText, p, 'utf8');
    p += ownerBytes;
    b.set(rowId, p);
    p += rowId.length;
    const jsonBytes = b.write(json, p, 'utf8');
    p += jsonBytes;
    b.writeDoubleLE(line, at);
    b.writeUInt16LE(owner === undefined ? NO_OWNER : ownerBytes, at + 8);
    b.writeUInt32LE(rowId.length, at + 10);
    b.writeUInt32LE(jsonBytes, at + 14);
    this.used = p;
    this.count++;
  }

  private flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.chunk, done, this.used - done);
    this.used = 0;
  }

  /** The spooled rows in order, a chunk of the file at a time (read synchronously: inside the write transaction). */
  *batches(): Generator<SpooledRow[]> {
    this.flush();
    closeSync(this.fd);
    this.chunk = Buffer.alloc(0);
    this.fd = openSync(this.path, 'r');
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      // A fresh buffer per chunk: the rows handed out keep views of it.
      const buf = Buffer.allocUnsafe(Math.max(SPOOL_CHUNK, 2 * rest.length));
      rest.copy(buf, 0);
      const n = readSync(this.fd, buf, rest.length, buf.length - rest.length, null);
      const end = rest.length + n;
      if (n === 0) {
        if (end > 0) throw new Error(`${this.path}: the spool ends inside a record`);
        return;
      }
      const rows: SpooledRow[] = [];
      let p = 0;
      while (end - p >= FIXED) {
        const ownerLength = buf.readUInt16LE(p + 8);
        const ownerBytes = ownerLength === NO_OWNER ? 0 : ownerLength;
        const keyLength = buf.readUInt32LE(p + 10);
        const jsonLength = buf.readUInt32LE(p + 14);
        const next = p + FIXED + ownerBytes + keyLength + jsonLength;
        if (next > end) break;
        const o = p + FIXED;
        const owner = ownerLength === NO_OWNER ? undefined : (buf.toString('utf8', o, o + ownerBytes) as UserId);
        const k = o + ownerBytes;
        rows.push(new SpooledRow(SPOOLED, this.schema, buf.readDoubleLE(p), owner, buf.subarray(k, k + keyLength), buf.subarray(k + keyLength, next)));
        p = next;
      }
      rest = buf.subarray(p, end);
      if (rows.length > 0) yield rows;
    }
  }

  remove(): void {
    try {
      closeSync(this.fd);
    } catch {
      // closed already
    }
    rmSync(this.path, { force: true });
  }
}
