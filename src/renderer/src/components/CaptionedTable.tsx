import type { ReactNode } from 'react';

interface CaptionedTableProps {
  className: string;
  /** What the table lists, for screen readers (the page's heading says it to everyone else). */
  caption: string;
  /** The column headers, in order; a fixed list, so their positions are their keys. */
  headers: readonly ReactNode[];
  /** The rows. */
  children: ReactNode;
}

/** A scrollable data table with a screen-reader caption and one row of column headers. */
export function CaptionedTable({ className, caption, headers, children }: CaptionedTableProps) {
  return (
    <div className="table-wrap">
      <table className={className}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {headers.map((header, i) => (
              <th key={i} scope="col">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
