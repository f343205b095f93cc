import { formatLocalDateTime } from '../grid/cell-format';

const LABELS: Record<string, string> = { _user: 'Owner', _seq: 'Version (_seq)', _ts: 'Written at' };

/** The engine's columns of a row (owner, version, write time): shown, never edited. */
export function SystemColumns({ values }: { values: Readonly<Record<string, unknown>> }) {
  const present = Object.keys(LABELS).filter((k) => values[k] !== undefined);
  if (present.length === 0) return null;
  return (
    <dl className="facts system-columns" aria-label="System columns (read-only)">
      {present.map((k) => (
        <div key={k} className="system-columns__item">
          <dt>{LABELS[k]}</dt>
          <dd>
            <code>{k === '_ts' && typeof values[k] === 'number' ? formatLocalDateTime(values[k]) : String(values[k])}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
