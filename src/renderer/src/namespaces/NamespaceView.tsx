import { useState } from 'react';
import { routeHref } from '../app/routes';
import { Alert } from '../components/Alert';
import { CaptionedTable } from '../components/CaptionedTable';
import { CreateTableDialog } from '../ddl/CreateTableDialog';
import { DropNamespaceDialog } from './DropNamespaceDialog';
import { rowCountText } from './row-count-text';
import { TypeBadge } from './TypeBadge';
import { useNamespaceTree } from './use-catalog';
import { useGate } from '../app/gates';

/** One namespace: its tables (kind, rows the subject sees, access), and the namespace's actions. */
export function NamespaceView({ name }: { name: string }) {
  const { tree, namespaces } = useNamespaceTree();
  const blocked = useGate({ write: true, right: 'changeSchema' });
  const [dialog, setDialog] = useState<'table' | 'drop' | undefined>();
  const node = tree?.find((n) => n.namespace.name === name);

  if (namespaces.isPending) {
    return (
      <div className="view view--padded">
        <p className="muted" role="status">
          Loading {name}…
        </p>
      </div>
    );
  }
  if (!node) {
    return (
      <div className="view view--padded">
        <h1 className="view__title">{name}</h1>
        <Alert kind="error" title="No such namespace">
          Namespace {name} does not exist (it may have been dropped).
        </Alert>
      </div>
    );
  }

  return (
    <div className="view view--padded">
      <header className="view__header">
        <div className="view__heading">
          <h1 className="view__title">{name}</h1>
          <p className="view__subtitle">
            Namespace · {node.tables.length === 1 ? '1 table' : `${node.tables.length} tables`}
            {node.namespace.comment ? ` · ${node.namespace.comment}` : ''}
          </p>
        </div>
        <div className="toolbar" role="toolbar" aria-label="Namespace actions">
          <button type="button" className="button button--primary" disabled={blocked !== undefined} title={blocked} onClick={() => setDialog('table')}>
            New table
          </button>
          <button type="button" className="button button--danger-outline" disabled={blocked !== undefined} title={blocked} onClick={() => setDialog('drop')}>
            Drop namespace
          </button>
        </div>
      </header>
      {node.tables.length === 0 ? (
        <p className="muted">No tables yet. Create one with New table.</p>
      ) : (
        <CaptionedTable className="data-table" caption={`Tables of ${name}`} headers={['Table', 'Type', 'Rows', 'Access']}>
          {node.tables.map((t) => (
            <tr key={t.table}>
              <th scope="row">
                <a href={routeHref({ view: 'table', table: t.table })}>{t.name}</a>
              </th>
              <td>
                <TypeBadge kind={t.kind} />
              </td>
              <td>{rowCountText(t)}</td>
              <td>{t.kind === 'shared' ? t.access : 'own rows'}</td>
            </tr>
          ))}
        </CaptionedTable>
      )}
      {dialog === 'table' ? <CreateTableDialog namespace={name} onClose={() => setDialog(undefined)} /> : null}
      {dialog === 'drop' ? <DropNamespaceDialog name={name} tables={node.tables} onClose={() => setDialog(undefined)} /> : null}
    </div>
  );
}
