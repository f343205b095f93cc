import { DataDirSwitchSchema, type DataDirSwitch } from '../../../shared/contract';

/** The page reloads after a switch: what it did is handed over in this tab's sessionStorage. */
const KEY = 'kalam.dataDirSwitch';

export function keepSwitchReport(report: DataDirSwitch): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(report));
  } catch {
    // Storage unavailable: the report is not shown after the reload.
  }
}

/** The report of the switch that led to this page load, once. */
export function takeSwitchReport(): DataDirSwitch | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return undefined;
    sessionStorage.removeItem(KEY);
    const parsed = DataDirSwitchSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const STATUS_WORDS: Readonly<Record<string, string>> = {
  completed: 'finished',
  cancelled: 'cancelled',
  failed: 'failed',
  running: 'did not stop in time (marked interrupted when that directory is next opened)',
};

/** "Opened other. Jobs of /data/first: FL-1 (flush) finished, FL-2 (flush) cancelled." */
export function describeSwitch(report: DataDirSwitch): string {
  const opened = `${report.created ? 'Created and opened' : 'Opened'} ${report.name} (${report.path}).`;
  if (report.jobs.length === 0) return opened;
  const jobs = report.jobs.map((j) => `${j.id} (${j.type.replace('_', ' ')}) ${STATUS_WORDS[j.status] ?? j.status}`).join(', ');
  return `${opened} Jobs of ${report.closed}: ${jobs}.`;
}
