import type { IndexVerifyReport } from '../../../shared/contract';
import { Alert } from '../components/Alert';
import { countOf, formatCount } from '../grid/cell-format';

const SECTIONS = [
  { key: 'missing', title: 'Missing', help: 'Rows without their index entry' },
  { key: 'orphaned', title: 'Orphaned', help: 'Entries whose row is gone' },
  { key: 'wrong', title: 'Wrong', help: 'Entries that no longer match their row' },
] as const;

/** The result of verifying an index against its table's rows. */
export function VerifyReport({ report }: { report: IndexVerifyReport }) {
  const problems = report.missing.length + report.orphaned.length + report.wrong.length;
  return (
    <section className="verify" aria-label="Verify report">
      {problems === 0 ? (
        <Alert kind="success" title="Index is consistent">
          {countOf(report.entities, 'row')} and {countOf(report.entries, 'entry', 'entries')} checked; nothing missing, orphaned or wrong.
        </Alert>
      ) : (
        <Alert kind="warning" title={`${formatCount(problems)} problem${problems === 1 ? '' : 's'} found`}>
          {countOf(report.entities, 'row')} and {countOf(report.entries, 'entry', 'entries')} checked.
          {report.truncated ? ' The lists below are cut short.' : ''} Rebuild the index to repair it.
        </Alert>
      )}
      {SECTIONS.map(({ key, title, help }) => {
        const list = report[key];
        if (list.length === 0) return null;
        return (
          <div key={key} className="verify__section">
            <h3 className="verify__title">
              {title} <span className="badge badge--warning">{formatCount(list.length)}</span> <span className="muted verify__help">{help}</span>
            </h3>
            <div className="table-wrap">
              <table className="data-table data-table--compact">
                <caption className="visually-hidden">{`${title} entries`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Index key</th>
                    <th scope="col">Primary key</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((p) => (
                    <tr key={`${p.indexKey}\u0000${p.primaryKey}`}>
                      <td>
                        <code>{p.indexKey}</code>
                      </td>
                      <td>
                        <code>{p.primaryKey}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        );
      })}
    </section>
  );
}
