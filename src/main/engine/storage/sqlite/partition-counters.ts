import type Database from 'better-sqlite3';
import { partitionTable, quoteIdentifier } from './sqlite-names';

/**
 * Each partition's row count and key + value bytes, kept exact by triggers in the same transaction
 * as every write, whichever connection makes it (the app's, a job worker's, the CLI's): reading a
 * partition's size costs one lookup however large it is, where count(*) walks every page.
 *
 * Writes must not use INSERT OR REPLACE on a partition: a REPLACE deletes the old row without firing
 * delete triggers (unless recursive_triggers is on), which would count the row twice. Puts are
 * upserts (ON CONFLICT DO UPDATE), whose update path fires the update trigger.
 */
const COUNTERS = 'kalam_partition_counters';

/** Trigger names made from the partition's table name (its own name, quoted, cannot clash). */
function triggerName(partition: string, event: 'ins' | 'del' | 'upd'): string {
  return quoteIdentifier(`kalam_count_${event}_${partition}`);
}

function createCountersTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${COUNTERS} (name TEXT PRIMARY KEY NOT NULL, rows INTEGER NOT NULL, bytes INTEGER NOT NULL) WITHOUT ROWID`);
}

/** The partition's counter update for one row event (see installCounters). */
function createTrigger(db: Database.Database, partition: string, event: 'ins' | 'del' | 'upd'): void {
  const table = partitionTable(partition);
  // The partition's name is a string literal inside the trigger bodies; names are plain (PARTITION_NAME), quoted anyway.
  const name = `'${partition.replaceAll("'", "''")}'`;
  const body = {
    ins: `AFTER INSERT ON ${table} BEGIN UPDATE ${COUNTERS} SET rows = rows + 1, bytes = bytes + length(NEW.k) + length(NEW.v) WHERE name = ${name}; END`,
    del: `AFTER DELETE ON ${table} BEGIN UPDATE ${COUNTERS} SET rows = rows - 1, bytes = bytes - length(OLD.k) - length(OLD.v) WHERE name = ${name}; END`,
    upd: `AFTER UPDATE ON ${table} BEGIN UPDATE ${COUNTERS} SET bytes = bytes + length(NEW.k) + length(NEW.v) - length(OLD.k) - length(OLD.v) WHERE name = ${name}; END`,
  }[event];
  db.exec(`CREATE TRIGGER ${triggerName(partition, event)} ${body}`);
}

/**
 * Counts the partition afresh and installs its triggers (replacing any): for a new partition, one
 * from before counters, or after a bulk copy made without triggers. Runs inside the caller's
 * transaction, or one of its own.
 */
export function installCounters(db: Database.Database, partition: string): void {
  const table = partitionTable(partition);
  const run = () => {
    createCountersTable(db);
    dropTriggers(db, partition);
    db.prepare(
      `INSERT INTO ${COUNTERS} (name, rows, bytes) SELECT ?, count(*), coalesce(sum(length(k) + length(v)), 0) FROM ${table} WHERE true
       ON CONFLICT(name) DO UPDATE SET rows = excluded.rows, bytes = excluded.bytes`,
    ).run(partition);
    for (const event of ['ins', 'del', 'upd'] as const) createTrigger(db, partition, event);
  };
  if (db.inTransaction) run();
  else db.transaction(run).immediate();
}

function dropTriggers(db: Database.Database, partition: string): void {
  for (const event of ['ins', 'del', 'upd'] as const) db.exec(`DROP TRIGGER IF EXISTS ${triggerName(partition, event)}`);
}

/**
 * Runs fn (a bulk copy into the partition) without the partition's triggers, then counts it once:
 * SQLite's record-for-record transfer of INSERT … SELECT works only into a table without triggers.
 * Must run inside a transaction, so no other connection sees the partition uncounted.
 */
export function withoutCounters<T>(db: Database.Database, partition: string, fn: () => T): T {
  dropTriggers(db, partition);
  const result = fn();
  installCounters(db, partition);
  return result;
}

/**
 * Runs a bulk delete from the partition (`remove`, which removes exactly `removed`: measured in the
 * same transaction) with its delete trigger off, and takes the rows off its counter once. A trigger
 * costs a counter update per row (about 2.5 times a range delete's own work), and any trigger at all
 * turns off SQLite's truncate optimisation, which frees a whole table's pages without visiting its
 * rows (1M rows: about 3 s against 0.2 s, measured here). Must run inside a transaction.
 */
export function deleteUncounted(db: Database.Database, partition: string, removed: { rows: number; bytes: number }, remove: () => number): number {
  db.exec(`DROP TRIGGER IF EXISTS ${triggerName(partition, 'del')}`);
  const changes = remove();
  createTrigger(db, partition, 'del');
  db.prepare(`UPDATE ${COUNTERS} SET rows = rows - ?, bytes = bytes - ? WHERE name = ?`).run(removed.rows, removed.bytes, partition);
  return changes;
}

/** Removes a dropped partition's counter (its triggers went with its table). */
export function forgetCounters(db: Database.Database, partition: string): void {
  createCountersTable(db);
  db.prepare(`DELETE FROM ${COUNTERS} WHERE name = ?`).run(partition);
}

/** Whether the database has the counters table (a read-only connection to a database from before counters has not). */
export function hasCounters(db: Database.Database): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(COUNTERS) !== undefined;
}

/** Partitions whose counter or triggers are missing (a database from before counters, or one restored from such a backup). */
export function uncountedPartitions(db: Database.Database, partitions: readonly string[]): string[] {
  if (!hasCounters(db)) return [...partitions];
  const triggers = new Set(
    db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kalam\\_count\\_%' ESCAPE '\\'`).pluck().all(),
  );
  const counted = new Set(db.prepare<[], string>(`SELECT name FROM ${COUNTERS}`).pluck().all());
  return partitions.filter((p) => !counted.has(p) || !(['ins', 'del', 'upd'] as const).every((e) => triggers.has(`kalam_count_${e}_${p}`)));
}

/** The statement that reads one partition's counter (prepare once the counters table exists). */
export function counterReader(db: Database.Database): Database.Statement<[string], { rows: number; bytes: number }> {
  return db.prepare<[string], { rows: number; bytes: number }>(`SELECT rows, bytes FROM ${COUNTERS} WHERE name = ?`);
}
