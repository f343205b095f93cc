import { conflictVersion, errorCode, errorMessage, validationIssues } from '../api/errors';
import type { ApiInputs, ApiOutputs } from '../api/client';
import { byRow, type StagedChange } from './staged-changes';
import type { RowProblem } from './staging-store';

export type UpdateRow = (input: ApiInputs['rows']['update']) => Promise<ApiOutputs['rows']['update']>;

export interface ApplyResult {
  /** Rows saved: their changes are done. */
  saved: string[];
  /** Rows not saved, and why; their changes stay staged. */
  problems: Map<string, RowProblem>;
}

function problemOf(error: unknown): RowProblem {
  switch (errorCode(error)) {
    case 'CONFLICT': {
      const now = conflictVersion(error);
      return {
        kind: 'conflict',
        message: now === null ? 'The row was deleted after you staged this edit.' : `The row changed after you staged this edit (now version ${now ?? '?'}).`,
      };
    }
    case 'NOT_FOUND':
      return { kind: 'error', message: 'The row no longer exists.' };
    case 'VALIDATION': {
      const issues = validationIssues(error);
      return { kind: 'error', message: issues.length > 0 ? issues.map((i) => `${i.field}: ${i.message}`).join('; ') : errorMessage(error) };
    }
    default:
      return { kind: 'error', message: errorMessage(error) };
  }
}

/**
 * Saves a table's staged changes, one update per row with the version each row had when its first
 * cell was staged, as the subject it was staged for. A row that changed meanwhile comes back as a
 * conflict (nothing is overwritten); other rows are saved regardless.
 */
export async function applyStaged(table: string, changes: readonly StagedChange[], update: UpdateRow): Promise<ApplyResult> {
  const rows = [...byRow(changes)];
  const results = await Promise.allSettled(
    rows.map(([rowKey, [first, ...rest]]) => {
      const values = Object.fromEntries([first, ...rest].map((c) => [c.column, c.value]));
      return update({ table, key: rowKey, values, version: first.baseVersion, ...(first.as ? { as: first.as } : {}) });
    }),
  );
  const saved: string[] = [];
  const problems = new Map<string, RowProblem>();
  results.forEach((r, i) => {
    const rowKey = rows[i]?.[0];
    if (rowKey === undefined) return;
    if (r.status === 'fulfilled') saved.push(rowKey);
    else problems.set(rowKey, problemOf(r.reason));
  });
  return { saved, problems };
}
