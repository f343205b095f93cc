import { routeHref } from '../app/routes';
import type { IndexInfo } from '../../../shared/contract';
import { formatCount } from '../grid/cell-format';
import { formatBytes, keyShape } from './format';
import type { IndexRef } from './IndexInspector';

/** All indexes in a table; the name of each links to its details. */
export function IndexList({ indexes, selected }: { indexes: readonly IndexInfo[]; selected: IndexRef | undefined }) {
  if (indexes.length === 0) return <p className="muted">No secondary indexes.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table index-list">
        <caption className="visually-hidden">Secondary indexes</caption>
        <thead>
          <tr>
            <th scope="col">Index</th>
            <th scope="col">Table</th>
            <th scope="col">Key shape</th>
            <th scope="col">Flags</th>
            <th scope="col" className="num">
              Entries
            </th>
            <th scope="col" className="num">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {indexes.map((ix) => {
            const isSelected = selected?.table === ix.table && selected.index === ix.name;
            return (
              <tr key={`${ix.table}/${ix.name}`} className={isSelected ? 'is-selected' : undefined}>
                <th scope="row">
                  <a href={routeHref({ view: 'indexes', table: ix.table, index: ix.name })} aria-current={isSelected ? 'page' : undefined}>
                    {ix.name}
                  </a>
                </th>
                <td>
                  <a className="quiet-link" href={routeHref({ view: 'table', table: ix.table })}>
                    {ix.table}
                  </a>
                </td>
                <td>
                  <code>{keyShape(ix)}</code>
                </td>
                <td>
                  {ix.unique ? <span className="badge">unique</span> : null}
                  {ix.partial ? <span className="badge badge--muted">partial</span> : null}
                  {!ix.unique && !ix.partial ? <span className="muted">—</span> : null}
                </td>
                <td className="num">{formatCount(ix.entries)}</td>
                <td className="num">{formatBytes(ix.bytes)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
