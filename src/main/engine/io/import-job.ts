import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { csvFieldWriter } from '../../../shared/csv-field';
import type { ColumnType } from '../../../shared/browse';
import type { ColumnMapping, ImportParams, ImportResult, RejectedRow } from '../../../shared/jobs/io-params';
import { SYSTEM_NAMESPACE } from '../../../shared/keys/namespace-id';
import { TableIdKey } from '../../../shared/keys/table-id';
import type { UserId } from '../../../shared/keys/user-id';
import { ownValue } from '../../../shared/own-keys';
import type { ColumnDefinition } from '../../../shared/system/tables';
import { CleanupJournal } from '../backup/cleanup-journal';
import { assertCanWrite } from '../access/subject';
import type { Engine } from '../engine';
import { EngineError, ValidationError } from '../errors';
import { WHOLE_TABLE_PASS } from '../flush/flush-job';
import { holdPoint } from '../jobs/hold-point';
import { type JobContext, JobCancelledError, throwIfCancelled } from '../jobs/job-context';
import { mkdirPrivateSync, PRIVATE_FILE_MODE } from '../private-files';
import { RowSpool, type SpooledRow } from '../tables/row-spool';
import type { SharedTableStore } from '../tables/shared/shared-table-store';
import type { UserTableStore } from '../tables/user/user-table-store';
import { type ImportSource, openSource, sampleSource, type SourceRecord } from './import-source';
import { fromJson, fromParquet, fromText, reportText, ValueError } from './values';

/** The owner column of user tables in files (what an export writes). */
const OWNER_COLUMN = '_user';
/** Rejected rows the job's result (and error) carries; the report file has them all. */
const FIRST_REJECTED = 20;
/** Records between progress reports and cancel checks. */
const REPORT_EVERY = 2000;
/** New rows per insertSpooled call (one savepoint) while writing. */
const WRITE_BATCH = 1000;

/** One file column bound to a table column (or the owner). */
interface Binding {
  readonly source: string;
  readonly target: string;
  readonly type: ColumnType;
}

// A rejection of the whole row names no column: an empty field, as null is written.
const reportField = csvFieldWriter(',');
const reportRecord = (fields: readonly (string | null)[]) => `${fields.map(reportField).join(',')}\r\n`;

/** The rejected-row report: a CSV file (line, column, value, reason) in the data directory. */
class Report {
  private readonly fd: number;
  readonly first: RejectedRow[] = [];
  count = 0;
  rows = 0;
  private lastLine = -1;

  constructor(readonly path: string) {
    mkdirPrivateSync(dirname(path));
    this.fd = openSync(path, 'w', PRIVATE_FILE_MODE);
    this.write(reportRecord(['line', 'column', 'value', 'reason']));
  }

  private write(text: string): void {
    const b = Buffer.from(text, 'utf8');
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done);
  }

  reject(row: RejectedRow): void {
    this.count++;
    if (row.line !== this.lastLine) {
      this.rows++;
      this.lastLine = row.line;
    }
    if (this.first.length < FIRST_REJECTED) this.first.push(row);
    this.write(reportRecord([String(row.line), row.column === '' ? null : row.column, row.value, row.reason]));
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** Thrown inside the writing transaction under abort: rolls it back. */
class AbortImport extends Error {}

function convert(kind: ImportSource['valueKind'], type: ColumnType, raw: unknown): unknown {
  if (kind === 'text') return fromText(type, raw as string | null);
  if (kind === 'json') return fromJson(type, raw);
  return fromParquet(type, raw);
}

/**
 * The bindings of file columns: the mapping given, or each file column by its name. System
 * columns a file may carry from an export (`_seq`, `_ts`, `_deleted`) are skipped; `_user` is the
 * owner of user-table rows. Returns the bindings and the file columns left out.
 */
function bind(source: ImportSource, params: ImportParams, columns: readonly ColumnDefinition[] | undefined, types: ReadonlyMap<string, ColumnType>) {
  const byName = new Map((columns ?? []).map((c) => [c.name, c]));
  const mapping: ColumnMapping[] = params.mapping ?? source.columns.map((c) => ({ source: c, target: c.startsWith('_') && c !== OWNER_COLUMN ? null : c }));
  const bindings: Binding[] = [];
  const ignored: string[] = [];
  const targets = new Set<string>();
  mapping.forEach((m, i) => {
    if (!source.columns.includes(m.source) && source.format !== 'jsonl') {
      throw new ValidationError('import', [{ field: `mapping.${i}.source`, message: `the file has no column "${m.source}"` }]);
    }
    if (m.target === null) return;
    if (targets.has(m.target)) throw new ValidationError('import', [{ field: `mapping.${i}.target`, message: `column "${m.target}" is mapped twice` }]);
    targets.add(m.target);
    if (m.target === OWNER_COLUMN) {
      bindings.push({ source: m.source, target: OWNER_COLUMN, type: 'text' });
      return;
    }
    const column = byName.get(m.target);
    if (columns && !column) {
      if (params.mapping) throw new ValidationError('import', [{ field: `mapping.${i}.target`, message: `the table has no column "${m.target}"` }]);
      ignored.push(m.source);
      return;
    }
    bindings.push({ source: m.source, target: m.target, type: column?.type ?? m.type ?? types.get(m.source) ?? 'text' });
  });
  return { bindings, ignored };
}

/** Column definitions of a table created from the file. */
function createdColumns(bindings: readonly Binding[], primaryKey: string | undefined): ColumnDefinition[] {
  const own = bindings.filter((b) => b.target !== OWNER_COLUMN);
  if (own.length === 0) throw new ValidationError('import', [{ field: 'mapping', message: 'no file column is mapped to a table column' }]);
  const pk = primaryKey ?? (own.some((b) => b.target === 'id') ? 'id' : own[0]!.target);
  if (!own.some((b) => b.target === pk)) throw new ValidationError('import', [{ field: 'create.primary_key', message: `"${pk}" is not a mapped column` }]);
  return own.map((b) => ({ name: b.target, type: b.type, nullable: b.target !== pk, primary_key: b.target === pk }));
}

/**
 * Imports a CSV/TSV, JSON Lines or Parquet file into a shared or user table (or a new one made
 * from the file's columns), as the job's subject:
 *   1. reads the file as a stream, converts each value to its column's type and validates each row
 *      with the table's own rules (those of the row forms), writing good rows to a spool file in
 *      the data directory and rejected ones to the report;
 *   2. writes the spooled rows in ONE transaction, with key conflicts handled as asked and one
 *      audit entry. Under `abort` any rejected row, a cancel or a failure leaves the table as it was
 *      (a created table is dropped again); under `skip` the rejected rows are left out.
 * Memory holds one chunk of the file (Parquet: one row group), never the file.
 */
export function runImport(engine: Engine, params: ImportParams, ctx: JobContext): Promise<ImportResult> {
  // One pass writing a whole file: memory-mapped pages would count toward resident memory in proportion to the table.
  return engine.backend.withSettings(WHOLE_TABLE_PASS, () => importFile(engine, params, ctx));
}

async function importFile(engine: Engine, params: ImportParams, ctx: JobContext): Promise<ImportResult> {
  const id = TableIdKey.parse(params.table);
  const table = TableIdKey.display(id);
  if (id.namespace === SYSTEM_NAMESPACE) {
    throw new ValidationError('import', [{ field: 'table', message: `${table} is a system table: only data tables take imports` }]);
  }
  const onError = params.on_error ?? 'abort';
  const onConflict = params.on_conflict ?? 'fail';
  const subject = params.subject;
  const source = await openSource(params.file, { format: params.format, delimiter: params.delimiter });

  let created = false;
  let bindings: Binding[];
  let ignored: string[];
  if (params.create) {
    if ([...engine.data.list()].some((m) => m.namespace_id === id.namespace && m.table_name === id.table)) {
      throw new EngineError('ALREADY_EXISTS', `table ${table} already exists; import into it without "create"`);
    }
    const types = new Map<string, ColumnType>(
      source.declared ? [...source.declared] : (await sampleSource(source)).columns.map((c) => [c.name, c.type] as [string, ColumnType]),
    );
    ({ bindings, ignored } = bind(source, params, undefined, types));
    engine.ddl.createTable(subject, {
      namespace: id.namespace,
      name: id.table,
      type: params.create.type,
      columns: createdColumns(bindings, params.create.primary_key),
    });
    created = true;
  } else {
    const meta = engine.data.metadata(id);
    if (meta.table_type === 'stream')
      throw new ValidationError('import', [{ field: 'table', message: `${table} is a stream table: its rows are events, not imported` }]);
    ({ bindings, ignored } = bind(source, params, meta.columns, new Map()));
  }

  const store = engine.data.open(id) as SharedTableStore | UserTableStore;
  // Access first: a subject that may not write the table is refused before anything is read.
  try {
    if (store.kind === 'shared') assertCanWrite(subject, table, store.tableAccess());
    else store.readScope(subject);
  } catch (e) {
    if (created) engine.ddl.dropTable(subject, id);
    throw e;
  }
  const ownerBinding = bindings.find((b) => b.target === OWNER_COLUMN);
  const valueBindings = bindings.filter((b) => b.target !== OWNER_COLUMN);
  const fixedOwner: UserId | undefined = params.owner ?? (ownerBinding ? undefined : (subject.userId ?? undefined));
  if (store.kind === 'user' && fixedOwner === undefined && !ownerBinding) {
    if (created) engine.ddl.dropTable(subject, id);
    throw new ValidationError('import', [
      { field: 'owner', message: `${table} is a user table: name the owner of the rows, or map a file column to ${OWNER_COLUMN}` },
    ]);
  }

  const report = new Report(params.report);
  const spool = new RowSpool(store.schema, `${params.report}.spool`);
  const journal = new CleanupJournal(engine.backend);
  const journalId = `import:${spool.path}`;
  journal.set(journalId, [spool.path], engine.now());
  const started = performance.now();
  let read = 0;
  const progress = (phase: string, done: number, total: number | null) => {
    const secs = (performance.now() - started) / 1000;
    ctx.report({ phase, done, total, rate: secs > 0 ? Math.round(done / secs) : null });
  };

  try {
    // ---- 1. read, convert, validate --------------------------------------------------------
    for await (const batch of source.batches()) {
      for (const record of batch) {
        read++;
        accept(record);
        if (read % REPORT_EVERY === 0) {
          progress('reading', read, null);
          await new Promise<void>((resolve) => setImmediate(resolve));
          await holdPoint('import-read', ctx);
          throwIfCancelled(ctx);
        }
      }
    }
    throwIfCancelled(ctx);
    if (onError === 'abort' && report.count > 0) {
      const first = report.first.slice(0, 3).map((r) => `line ${r.line}${r.column ? ` column ${r.column}` : ''}: ${r.reason}`);
      throw new ValidationError('import', [
        {
          field: 'file',
          message: `${report.rows} row${report.rows === 1 ? '' : 's'} rejected (${first.join('; ')}); nothing was imported. The report: ${report.path}`,
        },
      ]);
    }

    // ---- 2. one transaction ------------------------------------------------------------------
    const counts = { inserted: 0, replaced: 0, skipped: 0 };
    const pk = store.schema.primaryKey.name;
    let written = 0;
    const progressed = (n: number) => {
      const before = written;
      written += n;
      if (Math.floor(written / REPORT_EVERY) > Math.floor(before / REPORT_EVERY)) {
        progress('writing', written, null);
        throwIfCancelled(ctx);
      }
    };
    /** Writes one row as the conflict policy says; a rejected row is reported (and ends the import under abort). */
    const writeOne = (row: SpooledRow) => {
      const options = { user: row.owner };
      const values = row.values();
      try {
        if (onConflict === 'replace') {
          const before = store.getRow(subject, ownValue(values, pk), options);
          store.upsertRow(subject, values, options);
          if (before) counts.replaced++;
          else counts.inserted++;
        } else if (onConflict === 'skip' && store.getRow(subject, ownValue(values, pk), options)) {
          counts.skipped++;
        } else {
          store.insertRow(subject, values, options);
          counts.inserted++;
        }
      } catch (e) {
        reject(row.line, values, e);
      }
      progressed(1);
    };
    const reject = (line: number, values: Record<string, unknown>, e: unknown) => {
      if (!(e instanceof EngineError) || e.code === 'ACCESS_DENIED' || e.code === 'CONFLICT') throw e;
      const column = e instanceof ValidationError ? (e.issues[0]?.field ?? '') : e.code === 'ALREADY_EXISTS' ? pk : '';
      report.reject({ line, column, value: reportText(column === pk ? ownValue(values, pk) : column ? ownValue(values, column) : ''), reason: e.message });
      if (onError === 'abort') throw new AbortImport(e.message);
    };
    /** A live row has this row's key; a key that cannot be read is left to the insert to report. */
    const exists = (row: SpooledRow): boolean => {
      try {
        return store.getRow(subject, ownValue(row.values(), pk), { user: row.owner }) !== undefined;
      } catch (e) {
        if (e instanceof EngineError && e.code !== 'ACCESS_DENIED') return false;
        throw e;
      }
    };
    /**
     * New rows of one owner in one insertSpooled call (its savepoint): the fast path of the fail and
     * skip policies. A batch that fails rolls back to its savepoint and is written again row by row,
     * so that the rejected row is named (and, under on_error skip, the others kept).
     */
    let batch: SpooledRow[] = [];
    const flushBatch = () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      try {
        store.insertSpooled(subject, rows, { user: rows[0]!.owner });
        counts.inserted += rows.length;
        progressed(rows.length);
      } catch (e) {
        if (!(e instanceof EngineError) || e.code === 'ACCESS_DENIED' || e.code === 'CONFLICT') throw e;
        for (const r of rows) writeOne(r);
      }
    };
    const writeSpooled = () => {
      for (const rows of spool.batches()) {
        for (const row of rows) {
          if (onConflict === 'replace') {
            writeOne(row);
            continue;
          }
          if (onConflict === 'skip' && exists(row)) {
            counts.skipped++;
            progressed(1);
            continue;
          }
          if (batch.length > 0 && (row.owner !== batch[0]!.owner || batch.length >= WRITE_BATCH)) flushBatch();
          batch.push(row);
        }
      }
      flushBatch();
    };
    engine.backend.transaction(() => {
      // Every spooled row goes into the hot partition (or its tombstone list): one bulk write.
      engine.backend.bulkWrite([store.schema.partition, store.schema.tombstones], read, writeSpooled);
      engine.system.auditLog.append({
        actor_user_id: subject.userId,
        actor_role: subject.role,
        at: engine.now(),
        action: 'table.import',
        target: table,
        before: null,
        after: {
          file: params.file,
          format: source.format,
          read,
          ...counts,
          rejected: report.rows,
          on_error: onError,
          on_conflict: onConflict,
          created,
        },
      });
    });
    progress('done', read, read);
    report.close();
    spool.remove();
    journal.clear(journalId);
    return { table, format: source.format, read, ...counts, rejected: report.rows, created, report: report.path, first_rejected: report.first, ignored };
  } catch (e) {
    report.close();
    spool.remove();
    journal.clear(journalId);
    if (created) engine.ddl.dropTable(subject, id);
    if (e instanceof AbortImport) {
      const r = report.first.at(-1);
      throw new ValidationError('import', [
        { field: 'file', message: `line ${r?.line ?? '?'}: ${e.message}; nothing was imported. The report: ${report.path}` },
      ]);
    }
    if (e instanceof JobCancelledError) throw e;
    throw e;
  }

  /** Converts and validates one record: spooled, or reported. */
  function accept(record: SourceRecord): void {
    if (record.problem) {
      report.reject({ line: record.line, ...record.problem });
      return;
    }
    const values: Record<string, unknown> = {};
    let bad = false;
    for (const b of valueBindings) {
      const raw = record.values[b.source];
      if (raw === undefined) continue;
      try {
        values[b.target] = convert(source.valueKind, b.type, raw);
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        report.reject({ line: record.line, column: b.source, value: reportText(raw), reason: e.message });
        bad = true;
      }
    }
    let owner = fixedOwner;
    if (ownerBinding && params.owner === undefined) {
      const raw = record.values[ownerBinding.source];
      if (typeof raw !== 'string' || raw === '') {
        report.reject({ line: record.line, column: ownerBinding.source, value: reportText(raw), reason: 'the owner (a user id) is missing' });
        bad = true;
      } else owner = raw as UserId;
    }
    if (bad) return;
    try {
      // Checked here, once, with the table's rules; the write trusts the spool.
      spool.push(record.line, owner, values);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      for (const issue of e.issues) {
        const binding = valueBindings.find((b) => b.target === issue.field);
        report.reject({
          line: record.line,
          column: binding?.source ?? issue.field,
          value: reportText(binding ? record.values[binding.source] : undefined),
          reason: issue.message,
        });
      }
    }
  }
}
