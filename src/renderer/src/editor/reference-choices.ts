import { REFERENCE_LABELS, type ReferencedTable } from '../../../shared/column-meta';

interface ReferenceChoice {
  readonly key: string;
  readonly label: string;
}

/** "local — Local storage": the key, and the row's label column when it says more. */
export function referenceChoices(rows: readonly { key: string; values: Readonly<Record<string, unknown>> }[], table: ReferencedTable): ReferenceChoice[] {
  return rows.map(({ key, values }) => {
    const label = values[REFERENCE_LABELS[table]];
    return { key, label: typeof label === 'string' && label !== '' && label !== key ? `${key} — ${label}` : key };
  });
}
