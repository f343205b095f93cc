import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/cold/durable-fs';
import { PRIVATE_DIR_MODE } from '../engine/private-files';
import type { Logger } from '../../shared/logger';

/** How many recent data directories are kept. */
export const RECENT_LIMIT = 10;

const RecentEntrySchema = z.object({ path: z.string().min(1).max(4096), openedAt: z.number().int().nonnegative() });
type RecentEntry = z.infer<typeof RecentEntrySchema>;

/** The settings file: a version, and the list newest first. Anything else is ignored as unreadable. */
const RecentFileSchema = z.object({ version: z.literal(1), recent: z.array(RecentEntrySchema).max(1000) });

const FILE_NAME = 'recent-data-directories.json';

/**
 * The recently opened data directories, newest first, deduplicated by path and bounded, in a small
 * JSON file of the app's settings folder (paths.ts appSettingsDir), never inside a data directory.
 * A missing, unreadable or hand-broken file is an empty list (logged): it is a convenience, and the
 * app must start without it.
 */
export class RecentDirectories {
  readonly file: string;

  constructor(
    settingsDir: string,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly limit = RECENT_LIMIT,
  ) {
    this.file = join(settingsDir, FILE_NAME);
  }

  list(): RecentEntry[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.warn('cannot read the recent data directories', { file: this.file, error: e });
      return [];
    }
    try {
      const parsed = RecentFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return dedupe(parsed.data.recent).slice(0, this.limit);
    } catch {
      // Not JSON: as unreadable.
    }
    this.logger.warn('the recent data directories file is unreadable; starting a new list', { file: this.file });
    return [];
  }

  /** Puts `path` first (opened at `at`), drops an older entry of it and the oldest past the limit. */
  add(path: string, at: number): RecentEntry[] {
    const next = dedupe([{ path, openedAt: at }, ...this.list()]).slice(0, this.limit);
    try {
      mkdirSync(join(this.file, '..'), { recursive: true, mode: PRIVATE_DIR_MODE });
      writeFileAtomic(this.file, JSON.stringify({ version: 1, recent: next }, null, 2) + '\n');
    } catch (error) {
      this.logger.warn('cannot save the recent data directories', { file: this.file, error });
    }
    return next;
  }
}

function dedupe(entries: readonly RecentEntry[]): RecentEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.path) && (seen.add(e.path), true));
}
