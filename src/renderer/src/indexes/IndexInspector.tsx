import { useQuery } from '@tanstack/react-query';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';
import { Alert } from '../components/Alert';
import { IndexDetail } from './IndexDetail';
import { IndexList } from './IndexList';

export interface IndexRef {
  table: string;
  index: string;
}

/** #/indexes: every secondary index, and the entries, health and rebuild of the selected one. */
export function IndexInspector({ selected }: { selected?: IndexRef }) {
  const list = useQuery(orpc.indexes.list.queryOptions());
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
      {list.data ? <IndexList indexes={list.data} selected={selected} /> : null}
      {selected && list.data && !current ? (
        <Alert kind="warning">
          There is no index {selected.index} on {selected.table}.
        </Alert>
      ) : null}
      {current ? <IndexDetail key={`${current.table}/${current.name}`} info={current} /> : null}
    </div>
  );
}
