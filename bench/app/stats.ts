/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('percentile of nothing');
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil(q * s.length)));
  return s[rank - 1]!;
}
