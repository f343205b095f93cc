import type { IndexInfo } from '../../../shared/contract';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${v.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, '$1')} ${UNITS[u]}`;
}

/** The shape of an index key, e.g. "(role, created_at) → key". */
export function keyShape(index: Pick<IndexInfo, 'fields'>): string {
  return `(${index.fields.join(', ')}) → key`;
}
