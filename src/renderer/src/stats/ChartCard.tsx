import { type ReactNode, useId, useState } from 'react';

interface ChartCardProps {
  readonly title: string;
  /** A line under the title: what the chart shows and what a click does. */
  readonly hint?: ReactNode;
  /** Controls beside the chart/table switch (sort, metric). */
  readonly controls?: ReactNode;
  readonly chart: ReactNode;
  /** The same data as a table (accessibility, and exact numbers): made only when shown. */
  readonly table: () => ReactNode;
  readonly testId?: string;
  /** Which view shows, when the card's owner decides (a click on a mark may open the table); else the card keeps its own. */
  readonly asTable?: boolean;
  readonly onAsTable?: (asTable: boolean) => void;
}

/** A dashboard card that shows its data as a chart or, at the press of a button, as a table. */
export function ChartCard({ title, hint, controls, chart, table, testId, asTable: shownAsTable, onAsTable }: ChartCardProps) {
  const [ownAsTable, setOwnAsTable] = useState(false);
  const asTable = shownAsTable ?? ownAsTable;
  const setAsTable = (v: boolean) => (onAsTable ?? setOwnAsTable)(v);
  const id = useId();
  return (
    <section className="card stats-card" aria-labelledby={id} data-testid={testId}>
      <header className="stats-card__header">
        <h2 id={id} className="card__title">
          {title}
        </h2>
        <div className="stats-card__controls">
          {controls}
          <button type="button" className="button button--small" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? 'Show chart' : 'Show as table'}
          </button>
        </div>
      </header>
      {hint ? <p className="stats-card__hint">{hint}</p> : null}
      {asTable ? table() : chart}
    </section>
  );
}
