import type { Subject } from '../engine/access/subject';
import type { Engine } from '../engine/engine';
import type { TableProvider } from '../engine/provider/table-provider';
import { UntilChanged } from '../engine/stats/until-changed';

/** Subjects whose counts are kept at once (the operator and the users viewed as). */
const SUBJECTS_KEPT = 16;

/**
 * tables.list's row counts, per subject, kept until the database's content changes (any commit,
 * by any connection: see UntilChanged). The sidebar asks for the list at every page load, and a
 * table with both hot rows and flushed segments is counted by a merged scan up to the cap: with
 * 200 such tables that took 1.5–2 s of the main process. Stream tables are counted at each call:
 * their rows expire with time, without a commit.
 */
export class TableListCounts {
  private readonly bySubject = new Map<string, UntilChanged<Map<string, number>>>();

  constructor(private readonly engine: Engine) {
    engine.onReload(() => this.bySubject.clear());
  }

  count(subject: Subject, table: string, kind: string, provider: TableProvider, cap: number): number {
    if (kind === 'stream') return provider.count(subject, cap);
    const counts = this.forSubject(subject).get();
    let n = counts.get(table);
    if (n === undefined) counts.set(table, (n = provider.count(subject, cap)));
    return n;
  }

  private forSubject(subject: Subject): UntilChanged<Map<string, number>> {
    const key = `${subject.role}:${subject.userId ?? ''}`;
    let cache = this.bySubject.get(key);
    if (!cache) {
      if (this.bySubject.size >= SUBJECTS_KEPT) this.bySubject.clear();
      // A new, empty map each time the content moved: counts are taken again as tables are listed.
      cache = new UntilChanged(this.engine.backend, () => new Map<string, number>());
      this.bySubject.set(key, cache);
    }
    return cache;
  }
}
