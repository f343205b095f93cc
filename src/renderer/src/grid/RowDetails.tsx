import { useState } from 'react';
import type { ColumnInfo, Row } from '../../../shared/browse';
import { JsonView } from '../components/JsonView';
import { readStored, writeStored } from '../components/storage';
import { formatCell } from './cell-format';

const WIDTH_KEY = 'kalam.details.width';
export const DETAILS_MIN_WIDTH = 240;
export const DETAILS_MAX_WIDTH = 720;
const DEFAULT_WIDTH = 340;
const STEP = 24;

const clampWidth = (w: number) => Math.min(DETAILS_MAX_WIDTH, Math.max(DETAILS_MIN_WIDTH, Math.round(w)));

/** The details panel's width, remembered across tables and restarts. */
export function useDetailsWidth(): [number, (w: number) => void] {
  const [width, setWidth] = useState(
    () => readStored(WIDTH_KEY, (v) => (typeof v === 'number' && Number.isFinite(v) ? clampWidth(v) : undefined)) ?? DEFAULT_WIDTH,
  );
  return [
    width,
    (w) => {
      const next = clampWidth(w);
      setWidth(next);
      writeStored(WIDTH_KEY, next);
    },
  ];
}

/** One value as the details show it: whole (not cut like a cell), timestamps as dates, JSON pretty. */
function FieldValue({ column, value, rowKey }: { column: ColumnInfo; value: unknown; rowKey: string }) {
  if (column.type === 'json' && value !== null && value !== undefined) return <JsonView value={value} label={`${column.name} of row ${rowKey}`} />;
  const cell = formatCell(column.type, value);
  if (cell.kind === 'timestamp') {
    const ms = typeof value === 'number' ? value : Date.parse(String(value));
    return (
      <time dateTime={new Date(ms).toISOString()} title={cell.title}>
        {cell.text}
      </time>
    );
  }
  if (cell.kind === 'null') return <span className="details__null">null</span>;
  if (cell.kind === 'boolean') return <span>{cell.spoken}</span>;
  return <span className="break-anywhere">{typeof value === 'string' ? value : cell.text}</span>;
}

interface RowDetailsProps {
  row: Row;
  columns: readonly ColumnInfo[];
  width: number;
  onWidth: (w: number) => void;
  onClose: () => void;
}

/**
 * The selected row beside the grid, field by field (timestamps as dates, the stored number in
 * their title), with its JSON to copy. Shown only while a row is selected; its width is set by the
 * handle on its left edge (drag, or arrow keys) and remembered.
 */
export function RowDetails({ row, columns, width, onWidth, onClose }: RowDetailsProps) {
  const [copied, setCopied] = useState(false);
  const known = new Set(columns.map((c) => c.name));
  const extra = Object.keys(row.values).filter((k) => !known.has(k));
  return (
    <aside className="details" aria-labelledby="row-details-title" style={{ width }}>
      <div
        className="details__resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize row details"
        aria-valuemin={DETAILS_MIN_WIDTH}
        aria-valuemax={DETAILS_MAX_WIDTH}
        aria-valuenow={width}
        tabIndex={0}
        onKeyDown={(e) => {
          if (e.key === 'ArrowLeft') onWidth(width + STEP);
          else if (e.key === 'ArrowRight') onWidth(width - STEP);
          else return;
          e.preventDefault();
        }}
        onPointerDown={(e) => {
          const startX = e.clientX;
          const startWidth = width;
          const target = e.currentTarget;
          target.setPointerCapture(e.pointerId);
          const move = (m: PointerEvent) => onWidth(startWidth + (startX - m.clientX));
          const up = () => {
            target.removeEventListener('pointermove', move);
            target.removeEventListener('pointerup', up);
          };
          target.addEventListener('pointermove', move);
          target.addEventListener('pointerup', up);
        }}
      />
      <header className="details__header">
        <h2 id="row-details-title" className="details__title">
          Row <code>{row.key}</code>
        </h2>
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
        <button type="button" className="icon-button" aria-label="Close row details" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      {/* Focusable, so that the keyboard can scroll the fields when they do not fit. */}
      <div className="details__fields" role="region" aria-label={`Fields of row ${row.key}`} tabIndex={0}>
        <dl className="details__list">
          {columns.map((c) => (
            <div key={c.name} className="details__field">
              <dt>{c.name}</dt>
              <dd>
                <FieldValue column={c} value={row.values[c.name]} rowKey={row.key} />
              </dd>
            </div>
          ))}
          {extra.map((name) => (
            <div key={name} className="details__field">
              <dt>{name}</dt>
              <dd>
                <JsonView value={row.values[name]} label={`${name} of row ${row.key}`} />
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </aside>
  );
}
