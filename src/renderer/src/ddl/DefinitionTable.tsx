import type { TableMetadata } from '../../../shared/system/tables';
import { CaptionedTable } from '../components/CaptionedTable';
import { defaultText, diffDefinitions } from './definition-diff';

const HEADERS = ['Column', 'Type', 'Key', 'Nullable', 'Default'];
const MARKS = { added: 'added', changed: 'changed', same: '' } as const;

/** A definition's columns and options; with `before`, added, changed and removed parts are marked. */
export function DefinitionTable({ definition, before }: { definition: TableMetadata; before?: TableMetadata }) {
  const diff = diffDefinitions(before ?? definition, definition);
  return (
    <>
      <CaptionedTable
        className="data-table data-table--compact ddl-columns"
        caption="Columns after the change"
        headers={before ? [...HEADERS, 'Change'] : HEADERS}
      >
        {diff.columns.map(({ column, mark }) => (
          <tr key={column.name} className={mark === 'same' ? undefined : `ddl-columns__row--${mark}`}>
            <th scope="row">
              <code>{column.name}</code>
            </th>
            <td>{column.type}</td>
            <td>{column.primary_key ? 'primary key' : ''}</td>
            <td>{column.nullable ? 'yes' : 'no'}</td>
            <td>
              <code>{defaultText(column)}</code>
            </td>
            {before ? <td>{MARKS[mark]}</td> : null}
          </tr>
        ))}
        {before
          ? diff.removed.map((name) => (
              <tr key={`removed-${name}`} className="ddl-columns__row--removed">
                <th scope="row">
                  <code>{name}</code>
                </th>
                <td colSpan={4} />
                <td>dropped</td>
              </tr>
            ))
          : null}
      </CaptionedTable>
      {before && diff.options.length > 0 ? (
        <dl className="facts ddl-options">
          {diff.options.map((o) => (
            <div key={o.name}>
              <dt>{o.name}</dt>
              <dd>
                <code>{o.before}</code> → <code>{o.after}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </>
  );
}
