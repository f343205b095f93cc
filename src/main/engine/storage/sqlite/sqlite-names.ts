import type Database from 'better-sqlite3';
import { assertPartitionName, PARTITION_NAME, StorageError } from '../storage-backend';

/** Each partition is the SQLite table "p_<partition name>". */
const TABLE_PREFIX = 'p_';

/** A SQLite identifier in double quotes (embedded quotes doubled). NUL cannot be quoted and is refused. */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new StorageError(`an SQL identifier must not contain NUL: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The SQL name of a partition's table, quoted, optionally in an attached `schema`: the one way a
 * partition name becomes SQL. A name outside the partition rule is refused before any SQL sees it.
 */
export function partitionTable(partition: string, schema?: string): string {
  assertPartitionName(partition);
  const table = quoteIdentifier(TABLE_PREFIX + partition);
  return schema === undefined ? table : `${quoteIdentifier(schema)}.${table}`;
}

/**
 * The partitions of a database (`schema`: "main" or an attached one), sorted. A database made
 * elsewhere (a backup being checked) may hold a "p_" table whose name breaks the partition rule:
 * it is refused with its name rather than listed, so no caller ever builds SQL from it.
 */
export function listPartitionTables(db: Database.Database, schema = 'main'): string[] {
  const tables = db
    .prepare<[number, string], string>(
      `SELECT name FROM ${quoteIdentifier(schema)}.sqlite_master WHERE type = 'table' AND substr(name, 1, ?) = ? ORDER BY name`,
    )
    .pluck()
    .all(TABLE_PREFIX.length, TABLE_PREFIX);
  return tables.map((table) => {
    const name = table.slice(TABLE_PREFIX.length);
    if (!PARTITION_NAME.test(name)) {
      throw new StorageError(
        `the database holds a table named ${JSON.stringify(table)}, which is not a partition of this engine (a partition name uses a-z, 0-9, "_", ".", ":" or "-"); it was not written by Kalam Studio`,
      );
    }
    return name;
  });
}
