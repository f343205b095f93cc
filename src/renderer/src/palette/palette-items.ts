import fuzzysort from 'fuzzysort';
import type { DataDirs, TableListEntry } from '../../../shared/contract';
import type { Job } from '../../../shared/system/jobs';
import { type Route, routeHref } from '../app/routes';
import { describeJob, STATUS_LABELS } from '../jobs/job-text';

export type PaletteGroup = 'Page' | 'Table' | 'Job' | 'Command';

/** One thing the command palette can do: go somewhere or run a command. */
export interface PaletteItem {
  readonly id: string;
  readonly group: PaletteGroup;
  readonly label: string;
  /** More words it is found by (a table's kind, a job's id). */
  readonly keywords?: string;
  /** Shown after the label, muted. */
  readonly hint?: string;
  /** Where it goes, or the command it runs. */
  readonly action: { readonly kind: 'go'; readonly href: string } | { readonly kind: 'run'; readonly command: PaletteCommand };
}

/** Commands the palette runs (App decides how). */
export type PaletteCommand =
  | { readonly type: 'flush'; readonly table: string }
  | { readonly type: 'jobDialog'; readonly dialog: 'backup' | 'restore' | 'flush' }
  | { readonly type: 'shortcuts' }
  /** Switch to a recent data directory (asking first about staged edits and active jobs). */
  | { readonly type: 'openDataDir'; readonly path: string };

const go = (route: Route) => ({ kind: 'go', href: routeHref(route) }) as const;
const run = (command: PaletteCommand) => ({ kind: 'run', command }) as const;

export interface PaletteSources {
  readonly tables: readonly TableListEntry[];
  readonly jobs: readonly Job[];
  /** Whether the subject may start jobs that write (flush, restore) and read jobs at all. */
  readonly canWriteJobs: boolean;
  readonly canManageJobs: boolean;
  /** The open and recent data directories, when known. */
  readonly dataDirs?: DataDirs | undefined;
}

/** Everything the palette offers, in the order shown for an empty query. */
export function paletteItems({ tables, jobs, canWriteJobs, canManageJobs, dataDirs }: PaletteSources): PaletteItem[] {
  const items: PaletteItem[] = [
    { id: 'page:home', group: 'Page', label: 'Overview', action: go({ view: 'home' }) },
    { id: 'page:jobs', group: 'Page', label: 'Jobs', action: go({ view: 'jobs' }) },
    { id: 'page:indexes', group: 'Page', label: 'Indexes', action: go({ view: 'indexes' }) },
  ];
  const namespaces = new Set<string>();
  for (const t of tables) {
    if (!t.canRead) continue;
    items.push({
      id: `table:${t.table}`,
      group: 'Table',
      label: t.table,
      hint: `${t.kind} table`,
      keywords: t.name,
      action: go({ view: 'table', table: t.table }),
    });
    if (t.kind !== 'system') namespaces.add(t.namespace);
  }
  for (const ns of [...namespaces].sort())
    items.push({ id: `ns:${ns}`, group: 'Page', label: `Namespace ${ns}`, action: go({ view: 'namespace', namespace: ns }) });
  if (canManageJobs)
    items.push({ id: 'cmd:backup', group: 'Command', label: 'Back up…', keywords: 'backup save copy', action: run({ type: 'jobDialog', dialog: 'backup' }) });
  if (canWriteJobs) {
    items.push({
      id: 'cmd:restore',
      group: 'Command',
      label: 'Open backup… (restore)',
      keywords: 'restore backup',
      action: run({ type: 'jobDialog', dialog: 'restore' }),
    });
    for (const t of tables) {
      if (t.kind === 'shared' || t.kind === 'user')
        items.push({
          id: `cmd:flush:${t.table}`,
          group: 'Command',
          label: `Flush ${t.table}`,
          keywords: 'parquet',
          action: run({ type: 'flush', table: t.table }),
        });
    }
  }
  if (dataDirs?.canSwitch) {
    items.push({ id: 'page:start', group: 'Page', label: 'Start (data directories)', keywords: 'recent folder', action: go({ view: 'start' }) });
    items.push({ id: 'cmd:open-data-dir', group: 'Command', label: 'Open data directory…', keywords: 'folder switch', action: go({ view: 'start' }) });
    items.push({ id: 'cmd:new-data-dir', group: 'Command', label: 'New empty data directory…', keywords: 'folder create demo', action: go({ view: 'start' }) });
    for (const d of dataDirs.recent) {
      if (d.current || !d.available) continue;
      items.push({
        id: `cmd:open-recent:${d.path}`,
        group: 'Command',
        label: `Open recent: ${d.name}`,
        hint: d.path,
        keywords: `data directory ${d.path}`,
        action: run({ type: 'openDataDir', path: d.path }),
      });
    }
  }
  items.push({ id: 'cmd:shortcuts', group: 'Command', label: 'Keyboard shortcuts', keywords: 'help keys ?', action: run({ type: 'shortcuts' }) });
  for (const j of jobs) {
    items.push({
      id: `job:${j.job_id}`,
      group: 'Job',
      label: describeJob(j),
      hint: `${STATUS_LABELS[j.status]} · ${j.job_id}`,
      keywords: j.job_id,
      action: go({ view: 'jobs', job: j.job_id }),
    });
  }
  return items;
}

/** At most this many results are listed. */
export const MAX_RESULTS = 50;

/** How much a match in each field counts: the label first, then keywords, then the hint. */
const FIELD_WEIGHTS = [1, 0.8, 0.6] as const;

/**
 * A fuzzy search over the items (label first, then keywords and hint), best first. A query matches
 * as a subsequence, as in editors' quick-open (`prodcts` finds demo.products); words match on their
 * own, in any order (`flush orders`). fuzzysort, over targets prepared once per index: with 1,000
 * tables (2,000 items with their flush commands) a query costs about a millisecond.
 */
export function paletteSearch(items: readonly PaletteItem[]): (query: string) => PaletteItem[] {
  const targets = items.map((item, order) => ({
    item,
    order,
    label: fuzzysort.prepare(item.label),
    keywords: fuzzysort.prepare(item.keywords ?? ''),
    hint: fuzzysort.prepare(item.hint ?? ''),
  }));
  return (query) => {
    const q = query.trim();
    if (q === '') return items.slice(0, MAX_RESULTS);
    const found = fuzzysort.go(q, targets, {
      keys: ['label', 'keywords', 'hint'],
      // A word may match any field (the combined score); a match in the label alone counts in full.
      scoreFn: (r) => Math.max(r.score * FIELD_WEIGHTS[2], ...FIELD_WEIGHTS.map((w, i) => (r[i]?.score ?? 0) * w)),
    });
    // Equal scores keep the items' order (fuzzysort's own order is not stable): the command "Flush
    // t" comes before a recent job labelled "Flush t" too.
    return [...found]
      .sort((a, b) => b.score - a.score || a.obj.order - b.obj.order)
      .slice(0, MAX_RESULTS)
      .map((r) => r.obj.item);
  };
}

interface PaletteIndex {
  readonly items: readonly PaletteItem[];
  readonly search: (query: string) => PaletteItem[];
}

let last: { readonly sources: PaletteSources; readonly index: PaletteIndex } | undefined;

const sameSources = (a: PaletteSources, b: PaletteSources): boolean =>
  a.tables === b.tables && a.jobs === b.jobs && a.canWriteJobs === b.canWriteJobs && a.canManageJobs === b.canManageJobs && a.dataDirs === b.dataDirs;

/**
 * The items and their search index, built again only when a source changes (by identity: the
 * query cache keeps a list's identity while its content stays the same). Opening the palette
 * over 1,000 tables then neither lists nor indexes them again.
 */
export function paletteIndex(sources: PaletteSources): PaletteIndex {
  if (last && sameSources(last.sources, sources)) return last.index;
  const items = paletteItems(sources);
  last = { sources, index: { items, search: paletteSearch(items) } };
  return last.index;
}
