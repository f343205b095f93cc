import { rmSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { z } from 'zod';
import { AlterTableInputSchema, type ColumnInputSchema, CreateNamespaceInputSchema, CreateTableInputSchema } from '../../../shared/ddl';
import { KeyError } from '../../../shared/keys/key-codec';
import { readFooter } from '../cold/segment-file';
import { tableSegmentsPrefix } from '../../../shared/keys/manifest-id';
import { type NamespaceId, NamespaceIdSchema, NewNamespaceNameSchema } from '../../../shared/keys/namespace-id';
import { lowerCased, RESERVED_NAMESPACES } from '../../../shared/keys/rules';
import { StorageIdSchema } from '../../../shared/keys/storage-id';
import { type TableId, tableId, TableIdKey, NewTableNameSchema } from '../../../shared/keys/table-id';
import type { Namespace } from '../../../shared/system/namespaces';
import { type ColumnDefinition, type TableMetadata, TableMetadataSchema } from '../../../shared/system/tables';
import type { Subject } from '../access/subject';
import { ValueCodec } from '../codec/value-codec';
import { EngineError, type FieldIssue, issuesOf, NotFoundError, ValidationError } from '../errors';
import type { StorageBackend } from '../storage/storage-backend';
import type { SystemTables } from '../system/system-tables';
import { rowKind } from '../tables/data-table-store';
import type { DataTables } from '../tables/data-tables';
import { valueProblem } from '../tables/row-schema';
import { tablePartitions } from '../tables/table-schema';

export interface DdlContext {
  readonly backend: StorageBackend;
  readonly system: SystemTables;
  readonly data: DataTables;
  readonly now: () => number;
}

type ColumnInputOutput = z.output<typeof ColumnInputSchema>;
type AlterTableChange = z.output<typeof AlterTableInputSchema>;

/** Stored rows rewritten per batch by ALTER (drop and rename column). */
const REWRITE_BATCH = 1000;

/** Schema changes need dba or system. */
export function assertCanChangeSchema(subject: Subject): void {
  if (subject.role !== 'dba' && subject.role !== 'system') {
    throw new EngineError('ACCESS_DENIED', `role "${subject.role}" may not change the schema (creating, altering and dropping need dba or system)`);
  }
}

function parseInput<T>(entity: string, schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(entity, issuesOf(result.error));
  return result.data;
}

/** Runs a parse and records its first problem under `field`; undefined when it failed. */
function checked<S extends z.ZodType>(issues: FieldIssue[], field: string, schema: S, input: unknown): z.output<S> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  issues.push({ field, message: result.error.issues[0]?.message ?? 'invalid' });
  return undefined;
}

function fail(entity: string, issues: readonly FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(entity, issues);
}

/** The namespace of a table (an existing one is looked up later): format rules, and no reserved name. */
function namespaceName(issues: FieldIssue[], field: string, text: string): NamespaceId | undefined {
  const id = checked(issues, field, NamespaceIdSchema, lowerCased(text));
  if (id !== undefined && RESERVED_NAMESPACES.has(id)) {
    issues.push({ field, message: `"${id}" is a reserved namespace` });
    return undefined;
  }
  return id;
}

function tableRef(table: TableId | string): TableId {
  if (typeof table !== 'string') return table;
  try {
    return TableIdKey.parse(table);
  } catch (e) {
    if (e instanceof KeyError) throw new ValidationError('table', [{ field: 'table', message: e.rule }]);
    throw e;
  }
}

function toDefinition(c: ColumnInputOutput): ColumnDefinition {
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable ?? !c.primary_key,
    primary_key: c.primary_key,
    ...(c.default !== undefined ? { default: c.default } : {}),
  };
}

/** Rules of one column on its own; `at` is its field path ("columns.2", "column"). */
function columnIssues(c: ColumnDefinition, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (c.primary_key) {
    if (c.nullable) issues.push({ field: `${at}.nullable`, message: 'the primary key cannot be nullable' });
    if (c.type === 'json') issues.push({ field: `${at}.type`, message: 'a json column cannot be the primary key' });
    if (c.default !== undefined) issues.push({ field: `${at}.default`, message: 'the primary key cannot have a default' });
  } else if (c.default !== undefined) {
    const problem = valueProblem(c, c.default);
    if (problem !== undefined) issues.push({ field: `${at}.default`, message: `${problem} (a ${c.type} column)` });
  }
  return issues;
}

/**
 * Creates, alters and drops namespaces and data tables, recording them in system.namespaces and
 * system.tables. Each operation is one transaction (metadata, partitions and row rewrites commit
 * together or not at all) and needs a dba or system subject. Bad input is a ValidationError whose
 * fields are paths of the shared DDL input shapes (src/shared/ddl.ts).
 *
 * ALTER bumps schema_version on every change. Existing rows stay readable: an added column reads
 * its default (or null) in rows written before it, without touching them; drop and rename rewrite
 * the stored rows in the same transaction (O(rows), simple and exact; no rename map to carry).
 * Rewrites keep each row's `_seq`: they change no data, so they emit no change events.
 */
export class Ddl {
  constructor(private readonly ctx: DdlContext) {}

  private get tables() {
    return this.ctx.system.tables;
  }

  createNamespace(subject: Subject, raw: unknown): Namespace {
    assertCanChangeSchema(subject);
    const input = parseInput('namespace', CreateNamespaceInputSchema, raw);
    const issues: FieldIssue[] = [];
    const id = checked(issues, 'name', NewNamespaceNameSchema, input.name);
    fail('namespace', issues);
    const now = this.ctx.now();
    return this.ctx.system.namespaces.insert({
      namespace_id: id!,
      options: input.options ?? {},
      comment: input.comment ?? null,
      created_at: now,
      updated_at: now,
    });
  }

  /** Drops a namespace; with tables only when cascading, and then their rows go too. Returns the tables dropped. */
  dropNamespace(subject: Subject, name: string, options: { cascade: boolean }): string[] {
    assertCanChangeSchema(subject);
    const issues: FieldIssue[] = [];
    const id = namespaceName(issues, 'namespace', name);
    fail('namespace', issues);
    return this.ctx.backend.transaction(() => {
      const inside = [...this.tables.inNamespace(id!)];
      const dropped = this.ctx.system.namespaces.drop(id!, this.tables, options);
      for (const meta of inside) this.removeTableData(meta);
      this.ctx.data.schemaChanged();
      return dropped;
    });
  }

  createTable(subject: Subject, raw: unknown): TableMetadata {
    assertCanChangeSchema(subject);
    // The shape first, but the names are checked even when the shape is wrong: one error lists every problem.
    const parsed = CreateTableInputSchema.safeParse(raw);
    const issues: FieldIssue[] = parsed.success ? [] : issuesOf(parsed.error);
    const given = (typeof raw === 'object' && raw !== null ? raw : {}) as { namespace?: unknown; name?: unknown };
    const namespace = typeof given.namespace === 'string' ? namespaceName(issues, 'namespace', given.namespace) : undefined;
    const name = typeof given.name === 'string' ? checked(issues, 'name', NewTableNameSchema, given.name) : undefined;
    if (!parsed.success) throw new ValidationError('table', issues);
    const input = parsed.data;
    const columns = input.columns.map(toDefinition);
    const seen = new Set<string>();
    columns.forEach((c, i) => {
      issues.push(...columnIssues(c, `columns.${i}`));
      if (seen.has(c.name)) issues.push({ field: `columns.${i}.name`, message: `duplicate column ${c.name}` });
      seen.add(c.name);
    });
    const keys = columns.filter((c) => c.primary_key).length;
    if (keys !== 1) issues.push({ field: 'columns', message: `needs exactly one primary key column, found ${keys}` });
    if (input.type !== 'shared' && input.access_level !== undefined) {
      issues.push({ field: 'access_level', message: `only applies to shared tables, not ${input.type} tables` });
    }
    if (input.type === 'stream' && input.ttl_seconds === undefined) issues.push({ field: 'ttl_seconds', message: 'is required for stream tables' });
    if (input.type !== 'stream' && input.ttl_seconds !== undefined) {
      issues.push({ field: 'ttl_seconds', message: `only applies to stream tables, not ${input.type} tables` });
    }
    const storage = checked(issues, 'storage_id', StorageIdSchema, input.storage_id ?? 'local');
    fail('table', issues);

    return this.ctx.backend.transaction(() => {
      if (!this.ctx.system.namespaces.exists(namespace!)) throw new NotFoundError(`namespace ${namespace}`);
      if (!this.ctx.system.storages.exists(storage!))
        throw new ValidationError('table', [{ field: 'storage_id', message: `storage ${storage} does not exist` }]);
      const id = tableId(namespace!, name!);
      if (this.tables.exists(id)) throw new EngineError('ALREADY_EXISTS', `table ${TableIdKey.display(id)} already exists`);
      const now = this.ctx.now();
      const meta = parseInput<TableMetadata>('table', TableMetadataSchema, {
        namespace_id: namespace,
        table_name: name,
        table_type: input.type,
        columns,
        access_level: input.type === 'shared' ? (input.access_level ?? 'private') : null,
        storage_id: storage,
        flush_policy: input.flush_policy ?? null,
        ttl_seconds: input.type === 'stream' ? input.ttl_seconds : null,
        schema_version: 1,
        comment: input.comment ?? null,
        created_at: now,
        updated_at: now,
      } satisfies Record<keyof TableMetadata, unknown>);
      this.tables.insert(meta);
      for (const partition of tablePartitions(meta)) {
        // Left over from an earlier table of this name (should not happen, dropping removes them): start empty.
        if (this.ctx.backend.hasPartition(partition)) this.ctx.backend.dropPartition(partition);
        this.ctx.backend.createPartition(partition);
      }
      this.ctx.data.schemaChanged();
      return meta;
    });
  }

  /**
   * One change per call; returns the new definition (schema_version + 1). A preview (a dry run the
   * caller rolls back) skips rewriting rows: dropping or renaming a column in a row cannot fail,
   * and rewriting a large table only to roll it back would hold the write lock for nothing.
   */
  alterTable(subject: Subject, table: TableId | string, raw: unknown, mode: { preview?: boolean } = {}): TableMetadata {
    assertCanChangeSchema(subject);
    const change = parseInput('table', AlterTableInputSchema, raw);
    const id = tableRef(table);
    return this.ctx.backend.transaction(() => {
      const meta = this.ctx.data.metadata(id);
      const { columns, options, rewrite } = this.applyChange(meta, change);
      const next = parseInput<TableMetadata>('table', TableMetadataSchema, {
        ...meta,
        ...options,
        columns,
        schema_version: meta.schema_version + 1,
        updated_at: Math.max(this.ctx.now(), meta.created_at),
      });
      this.tables.upsert(next);
      if (rewrite && !mode.preview) this.rewriteRows(meta, rewrite);
      this.ctx.data.schemaChanged();
      return next;
    });
  }

  private applyChange(
    meta: TableMetadata,
    change: AlterTableChange,
  ): { columns: ColumnDefinition[]; options?: Partial<TableMetadata>; rewrite?: (row: Record<string, unknown>) => boolean } {
    const columns = meta.columns;
    const find = (name: string) => columns.find((c) => c.name === lowerCased(name));
    const issues: FieldIssue[] = [];
    switch (change.action) {
      case 'add_column': {
        const c = toDefinition(change.column);
        if (c.primary_key) issues.push({ field: 'column.primary_key', message: 'a table has one primary key; a new column cannot be another' });
        else issues.push(...columnIssues(c, 'column'));
        if (find(c.name)) issues.push({ field: 'column.name', message: `column ${c.name} already exists` });
        else if (this.flushedColumns(meta).has(c.name)) {
          // Flushed files still hold the dropped column's values under this name: re-adding it would bring them back.
          issues.push({ field: 'column.name', message: `flushed Parquet segments still hold values of a dropped column ${c.name}; choose another name` });
        }
        if (!c.primary_key && !c.nullable && c.default === undefined) {
          issues.push({ field: 'column.default', message: 'a new column that is not nullable needs a default (existing rows read it)' });
        }
        fail('table', issues);
        return { columns: [...columns, c] };
      }
      case 'drop_column': {
        const c = find(change.name);
        if (!c) issues.push({ field: 'name', message: `no column ${lowerCased(change.name)} in ${meta.namespace_id}.${meta.table_name}` });
        else if (c.primary_key) issues.push({ field: 'name', message: 'the primary key cannot be dropped' });
        fail('table', issues);
        const name = c!.name;
        return {
          columns: columns.filter((x) => x !== c),
          rewrite: (row) => {
            if (!Object.hasOwn(row, name)) return false;
            delete row[name];
            return true;
          },
        };
      }
      case 'rename_column': {
        const c = find(change.from);
        if (!c) issues.push({ field: 'from', message: `no column ${lowerCased(change.from)} in ${meta.namespace_id}.${meta.table_name}` });
        else if (c.name === change.to) issues.push({ field: 'to', message: 'is the current name' });
        else if (find(change.to)) issues.push({ field: 'to', message: `column ${change.to} already exists` });
        else if (this.hasSegments(meta)) {
          // Flushed Parquet files name the column as it was; they are immutable, so a rename would hide its values.
          issues.push({ field: 'from', message: 'the table has flushed Parquet segments, whose files name this column; it cannot be renamed' });
        }
        fail('table', issues);
        const from = c!.name;
        const to = change.to;
        return {
          columns: columns.map((x) => (x === c ? { ...x, name: to } : x)),
          rewrite: (row) => {
            if (!Object.hasOwn(row, from)) return false;
            row[to] = row[from];
            delete row[from];
            return true;
          },
        };
      }
      case 'set_options': {
        const { action: _action, ...options } = change;
        const given = Object.entries(options).filter(([, v]) => v !== undefined);
        if (given.length === 0) issues.push({ field: '', message: 'name at least one option to change (comment, access_level, ttl_seconds, flush_policy)' });
        if (options.access_level !== undefined && meta.table_type !== 'shared') {
          issues.push({ field: 'access_level', message: `only applies to shared tables, not ${meta.table_type} tables` });
        }
        if (options.ttl_seconds !== undefined && meta.table_type !== 'stream') {
          issues.push({ field: 'ttl_seconds', message: `only applies to stream tables, not ${meta.table_type} tables` });
        }
        fail('table', issues);
        return { columns, options: Object.fromEntries(given) };
      }
    }
  }

  /** Rewrites stored rows in batches (inside the ALTER's transaction); tombstones included. */
  private rewriteRows(meta: TableMetadata, change: (row: Record<string, unknown>) => boolean): void {
    const [partition] = tablePartitions(meta);
    const codec = new ValueCodec(rowKind(`${meta.namespace_id}.${meta.table_name}`));
    const where = () => ({ partition: partition!, key: '(rewrite)' });
    let after: Uint8Array | undefined;
    for (;;) {
      const batch = [...this.ctx.backend.scan(partition!, { gt: after, limit: REWRITE_BATCH })];
      if (batch.length === 0) return;
      for (const [k, v] of batch) {
        const row = codec.decode(v, where) as unknown as Record<string, unknown>;
        if (change(row)) this.ctx.backend.put(partition!, k, codec.encode(row as never));
      }
      after = batch[batch.length - 1]![0];
    }
  }

  /** Drops a table with its rows; its live queries go too. */
  dropTable(subject: Subject, table: TableId | string): void {
    assertCanChangeSchema(subject);
    const id = tableRef(table);
    this.ctx.backend.transaction(() => {
      const meta = this.ctx.data.metadata(id);
      this.tables.delete(id);
      this.removeTableData(meta);
      this.ctx.data.schemaChanged();
    });
  }

  /** Every column name the table's flushed segments hold (their files are immutable). */
  private flushedColumns(meta: TableMetadata): Set<string> {
    const names = new Set<string>();
    if (!this.hasSegments(meta)) return names;
    const base = this.ctx.system.storages.get(meta.storage_id)?.base_directory ?? '';
    for (const entry of this.ctx.system.manifest.segmentsOf(tableId(meta.namespace_id, meta.table_name))) {
      const path = isAbsolute(entry.file_path) ? entry.file_path : join(base, entry.file_path);
      for (const child of readFooter(path).tree.children) names.add(child.element.name);
    }
    return names;
  }

  private hasSegments(meta: TableMetadata): boolean {
    return this.ctx.system.manifest.count({ prefix: tableSegmentsPrefix(tableId(meta.namespace_id, meta.table_name)) }) > 0;
  }

  private removeTableData(meta: TableMetadata): void {
    if (meta.table_type === 'system') return;
    for (const partition of tablePartitions(meta)) if (this.ctx.backend.hasPartition(partition)) this.ctx.backend.dropPartition(partition);
    this.removeSegments(meta);
    const live = this.ctx.system.liveQueries;
    const ids = [...live.scan()].filter(([, q]) => q.namespace_id === meta.namespace_id && q.table_name === meta.table_name).map(([k]) => k);
    live.deleteMany(ids);
    this.ctx.data.forget(tableId(meta.namespace_id, meta.table_name));
  }

  /** Forgets the table's flushed segments (system.manifest) and, once that commits, deletes their files. */
  private removeSegments(meta: TableMetadata): void {
    const id = tableId(meta.namespace_id, meta.table_name);
    const entries = [...this.ctx.system.manifest.scan({ prefix: tableSegmentsPrefix(id) })];
    if (entries.length === 0) return;
    this.ctx.system.manifest.deleteMany(entries.map(([k]) => k));
    const base = this.ctx.system.storages.get(meta.storage_id)?.base_directory;
    if (base === undefined) return;
    this.ctx.backend.onCommit(() => {
      for (const [, e] of entries) {
        const file = join(base, e.file_path);
        // Best effort, and never an error: the drop has committed (a file left behind is
        // unreferenced; reads go through system.manifest).
        for (const path of [file, join(dirname(file), 'manifest.json')]) {
          try {
            rmSync(path, { force: true });
          } catch {
            // e.g. EACCES or EBUSY: left behind
          }
        }
      }
    });
  }
}
