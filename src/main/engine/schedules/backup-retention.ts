import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FOLDER_TIMESTAMP } from '../../../shared/system/schedules';
import { BACKUP_MANIFEST } from '../backup/backup-format';

/** 2026-12-07T06:57:54.123Z → "20261207-065754" (UTC: names sort in time order wherever the machine is). */
function stamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** The folder a backup run at `now` writes: the template's {timestamp} filled in, then "-2", "-3"… if that is taken. */
export function backupFolder(template: string, now: number, exists: (path: string) => boolean = existsSync): string {
  const base = template.replaceAll(FOLDER_TIMESTAMP, stamp(now));
  if (!exists(base)) return base;
  for (let n = 2; ; n++) if (!exists(`${base}-${n}`)) return `${base}-${n}`;
}

/** What retention decided: the folders the schedule still lists, and those it deleted. */
export interface RetentionResult {
  readonly kept: string[];
  readonly deleted: string[];
}

/** Whether a folder is still a finished backup (its manifest is written last, by rename). */
function isBackup(folder: string): boolean {
  try {
    return statSync(join(folder, BACKUP_MANIFEST)).isFile();
  } catch {
    return false;
  }
}

/**
 * Keeps a schedule's last `keepLast` backups and deletes its older ones. Only folders in `made` (the
 * backups this schedule made, oldest first) are ever deleted, and only while they still hold a
 * backup manifest; a listed folder that is gone or no longer a backup is dropped from the list and
 * left alone. Nothing else in their parent folder is looked at.
 */
export function applyRetention(
  made: readonly string[],
  keepLast: number,
  remove: (folder: string) => void = (f) => rmSync(f, { recursive: true, force: true }),
): RetentionResult {
  const live = made.filter(isBackup);
  const cut = Math.max(0, live.length - keepLast);
  const deleted = live.slice(0, cut);
  for (const folder of deleted) remove(folder);
  return { kept: live.slice(cut), deleted };
}
