import type { ColumnType } from './browse';
import type { AlterTableInput, CreateNamespaceInput } from './ddl';
import type { ColumnDefinition, FlushPolicy, TableMetadata } from './system/tables';

/**
 * DDL changes written out in KalamDB's SQL dialect, for the previews of the create/alter/drop
 * dialogs and the answers of the ddl procedures. Display only: nothing parses these.
 */

const SQL_TYPES: Record<ColumnType, string> = {
  text: 'TEXT',
  integer: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  json: 'JSON',
  bytes: 'BYTES',
};

/** A SQL string literal ('it''s'). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function sqlValue(value: unknown): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return sqlString(JSON.stringify(value));
}

export function columnClause(c: Pick<ColumnDefinition, 'name' | 'type' | 'primary_key' | 'nullable' | 'default'>): string {
  const parts = [c.name, SQL_TYPES[c.type]];
  if (c.primary_key) parts.push('PRIMARY KEY');
  else if (!c.nullable) parts.push('NOT NULL');
  if (c.default !== undefined) parts.push(`DEFAULT ${sqlValue(c.default)}`);
  return parts.join(' ');
}

function flushClause(policy: FlushPolicy): string {
  const parts: string[] = [];
  if (policy.row_limit !== undefined) parts.push(`ROWS ${policy.row_limit}`);
  if (policy.interval_seconds !== undefined) parts.push(`INTERVAL ${policy.interval_seconds}s`);
  return `FLUSH_POLICY = ${sqlString(parts.join(', '))}`;
}

export function createNamespaceStatement(input: Pick<CreateNamespaceInput, 'name' | 'comment'>): string {
  return `CREATE NAMESPACE ${input.name}${input.comment ? ` COMMENT ${sqlString(input.comment)}` : ''};`;
}

export function dropNamespaceStatement(name: string, cascade: boolean): string {
  return `DROP NAMESPACE ${name}${cascade ? ' CASCADE' : ''};`;
}

export function createTableStatement(meta: TableMetadata): string {
  const options: string[] = [];
  if (meta.access_level !== null) options.push(`ACCESS_LEVEL = ${sqlString(meta.access_level)}`);
  if (meta.ttl_seconds !== null) options.push(`TTL_SECONDS = ${meta.ttl_seconds}`);
  if (meta.flush_policy !== null) options.push(flushClause(meta.flush_policy));
  options.push(`STORAGE_ID = ${sqlString(meta.storage_id)}`);
  const columns = meta.columns.map((c) => `  ${columnClause(c)}`).join(',\n');
  const comment = meta.comment ? `\nCOMMENT ${sqlString(meta.comment)}` : '';
  return `CREATE ${meta.table_type.toUpperCase()} TABLE ${meta.namespace_id}.${meta.table_name} (\n${columns}\n) WITH (${options.join(', ')})${comment};`;
}

/** `change` as parsed (names lower-cased); `table` as "namespace.table". */
export function alterTableStatement(table: string, change: AlterTableInput): string {
  const head = `ALTER TABLE ${table}`;
  switch (change.action) {
    case 'add_column': {
      const c = change.column;
      const pk = c.primary_key ?? false;
      return `${head} ADD COLUMN ${columnClause({ name: c.name, type: c.type, primary_key: pk, nullable: c.nullable ?? !pk, default: c.default })};`;
    }
    case 'drop_column':
      return `${head} DROP COLUMN ${change.name};`;
    case 'rename_column':
      return `${head} RENAME COLUMN ${change.from} TO ${change.to};`;
    case 'set_options': {
      const set: string[] = [];
      if (change.access_level !== undefined) set.push(`ACCESS_LEVEL = ${sqlString(change.access_level)}`);
      if (change.ttl_seconds !== undefined) set.push(`TTL_SECONDS = ${change.ttl_seconds}`);
      if (change.flush_policy !== undefined) set.push(change.flush_policy === null ? 'FLUSH_POLICY = NULL' : flushClause(change.flush_policy));
      if (change.comment !== undefined) set.push(`COMMENT = ${change.comment === null ? 'NULL' : sqlString(change.comment)}`);
      return `${head} SET (${set.join(', ')});`;
    }
  }
}

export function dropTableStatement(table: string): string {
  return `DROP TABLE ${table};`;
}
