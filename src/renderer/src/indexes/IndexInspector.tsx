import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { describeViewAs, useViewAs } from '../view-as/view-as-store';
import { IndexDetail } from './IndexDetail';
import { IndexList } from './IndexList';

export interface IndexRef {
  table: string;
  index: string;
}

/** #/indexes: every secondary index, and the entries, health and rebuild of the selected one. */
export function IndexInspector({ selected }: { selected?: IndexRef }) {
  // The indexes of the tables the viewed-as subject may read.
  const list = useQuery(orpc.indexes.list.queryOptions({ input: {} }));
  const viewAs = useViewAs();
  const viewedAs = viewAs.kind === 'admin' ? 'you' : describeViewAs(viewAs);
  const current = selected ? list.data?.find((i) => i.table === selected.table && i.name === selected.index) : undefined;

  return (
    <div className="view view--padded view--indexes">
      <header className="view__header">
        <div className="view__heading">
          <h1 className="view__title">Indexes</h1>
          <p className="view__subtitle">Secondary indexes of every table: browse entries, verify them against the rows, rebuild them.</p>
        </div>
        <button type="button" className="button button--small" onClick={() => void list.refetch()} disabled={list.isFetching}>
          Refresh
        </button>
      </header>
      {list.isPending ? (
        <p className="muted" role="status">
          Loading indexes…
        </p>
      ) : null}
      {list.isError ? (
        <Alert kind="error" title="Indexes could not be listed">
          {errorMessage(list.error)}
        </Alert>
      ) : null}
      {list.data && list.data.length > 0 ? <IndexList indexes={list.data} selected={selected} /> : null}
      {list.data?.length === 0 ? <p className="muted">{`No indexes of a table ${viewedAs} may read.`}</p> : null}
      {selected && list.data && !current ? (
        <Alert kind="warning">
          There is no index {selected.index} on {selected.table}
          {viewAs.kind === 'admin' ? '' : ` that ${viewedAs} may read`}.
        </Alert>
      ) : null}
      {current ? <IndexDetail key={`${current.table}/${current.name}`} info={current} /> : null}
    </div>
  );
}
