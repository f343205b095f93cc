import { conflictVersion, errorCode, errorMessage, validationIssues } from '../api/errors';
import type { ApiInputs, ApiOutputs } from '../api/client';
import { byRow, type StagedChange } from './staged-changes';
import type { RowProblem } from './staging-store';

export type UpdateRow = (input: ApiInputs['rows']['update']) => Promise<ApiOutputs['rows']['update']>;
export type CreateRow = (input: ApiInputs['rows']['create']) => Promise<ApiOutputs['rows']['create']>;

export interface ApplyResult {
  /** Rows saved: their changes are done. */
  saved: string[];
  /** What each saved row holds now (by its staged row key): for the edit history. */
  written: Map<string, ApiOutputs['rows']['update']>;
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

/** The values and owner a staged new row is created with: its `_user` field (pasted) names the owner. */
export function newRowInput(changes: readonly StagedChange[]): { values: Record<string, unknown>; user: string | undefined } {
  const values = Object.fromEntries(changes.filter((c) => c.column !== '_user').map((c) => [c.column, c.value]));
  const owner = changes.find((c) => c.column === '_user')?.value;
  return { values, user: typeof owner === 'string' ? owner : undefined };
}

/**
 * Saves a table's staged changes, one update per row with the version each row had when its first
 * cell was staged, as the subject it was staged for; staged new rows are created. A row that
 * changed meanwhile comes back as a conflict (nothing is overwritten); other rows are saved regardless.
 */
export async function applyStaged(table: string, changes: readonly StagedChange[], update: UpdateRow, create?: CreateRow): Promise<ApplyResult> {
  const rows = [...byRow(changes)];
  const results = await Promise.allSettled(
    rows.map(([rowKey, [first, ...rest]]) => {
      const as = first.as ? { as: first.as } : {};
      if (first.newRow) {
        if (!create) return Promise.reject(new Error('New rows cannot be created here.'));
        const { values, user } = newRowInput([first, ...rest]);
        return create({ table, values, ...(user !== undefined ? { user } : {}), ...as });
      }
      const values = Object.fromEntries([first, ...rest].map((c) => [c.column, c.value]));
      return update({ table, key: rowKey, values, version: first.baseVersion, ...as });
    }),
  );
  const saved: string[] = [];
  const written = new Map<string, ApiOutputs['rows']['update']>();
  const problems = new Map<string, RowProblem>();
  results.forEach((r, i) => {
    const rowKey = rows[i]?.[0];
    if (rowKey === undefined) return;
    if (r.status === 'fulfilled') {
      saved.push(rowKey);
      written.set(rowKey, r.value);
    } else problems.set(rowKey, problemOf(r.reason));
  });
  return { saved, written, problems };
}
