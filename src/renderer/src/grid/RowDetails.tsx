import { useState } from 'react';
import type { Row } from '../../../shared/browse';
import { JsonView } from '../components/JsonView';

/** The selected row as JSON, beside the grid. */
export function RowDetails({ row, onClose }: { row: Row | undefined; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <aside className="details" aria-labelledby="row-details-title">
      <header className="details__header">
        <h2 id="row-details-title" className="details__title">
          {row ? (
            <>
              Row <code>{row.key}</code>
            </>
          ) : (
            'Row details'
          )}
        </h2>
        {row ? (
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={() => {
              void navigator.clipboard.writeText(JSON.stringify(row.values, null, 2)).then(
                () => {
                  setCopied(true);
                  window.setTimeout(() => setCopied(false), 1500);
                },
                () => setCopied(false),
              );
            }}
          >
            {copied ? 'Copied' : 'Copy JSON'}
          </button>
        ) : null}
        <button type="button" className="icon-button" aria-label="Close row details" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      {row ? <JsonView value={row.values} label={`JSON of row ${row.key}`} /> : <p className="details__empty muted">Select a row to see all of its values.</p>}
    </aside>
  );
}
