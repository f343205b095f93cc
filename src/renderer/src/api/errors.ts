import { ORPCError } from '@orpc/client';
import { type ContractErrorCode, contractErrors } from '../../../shared/contract/errors';
import { pathOfField } from '../../../shared/field-path';

export interface FieldIssue {
  field: string;
  message: string;
}

/** The contract error code of a failed call, if the engine sent one. */
export function errorCode(error: unknown): ContractErrorCode | undefined {
  if (error instanceof ORPCError && Object.hasOwn(contractErrors, String(error.code))) return error.code as ContractErrorCode;
  return undefined;
}

const FRIENDLY: Partial<Record<string, string>> = {
  READ_ONLY: 'The app is in read-only mode. Turn read-only off in the header to make changes.',
  ACCESS_DENIED: 'Access denied.',
  UNAUTHORIZED: 'Not signed in. Open the address printed by the web mode (it carries the access token).',
};

/**
 * A message fit for the user: the engine's own message for contract errors, a plain sentence for
 * transport problems. Never a stack trace.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ORPCError) {
    const friendly = FRIENDLY[error.code as string];
    if (friendly && (error.message === '' || error.message === contractErrors.READ_ONLY.message || error.code === 'UNAUTHORIZED')) return friendly;
    if (error.code === 'VALIDATION') {
      const issues = validationIssues(error);
      const first = issues[0];
      if (first && (error.message === '' || error.message === contractErrors.VALIDATION.message)) {
        return issues.length === 1 ? `${first.field}: ${first.message}` : `${issues.length} fields are invalid (${first.field}: ${first.message}, …)`;
      }
    }
    return error.message || String(error.code);
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return 'Cannot reach the engine. Is the app still running?';
  if (error instanceof Error && error.name === 'AbortError') return 'The request was cancelled.';
  if (error instanceof Error && error.message) return firstLine(error.message);
  return 'Something went wrong.';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** VALIDATION issues, each naming a field (a form field, or a path such as `filters.0.value`). */
export function validationIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof ORPCError) || error.code !== 'VALIDATION') return [];
  const parsed = contractErrors.VALIDATION.data.safeParse(error.data);
  return parsed.success ? parsed.data.issues : [];
}

/**
 * VALIDATION messages about the items of an array in the input, by item index: `under` is the
 * array's path, e.g. ["request", "filters"] gives the problems of `request.filters.N…` by N.
 */
export function issuesByIndex(error: unknown, under: readonly string[]): Map<number, string> {
  const byIndex = new Map<number, string>();
  for (const issue of validationIssues(error)) {
    const path = pathOfField(issue.field);
    const index = path[under.length];
    if (typeof index === 'number' && under.every((part, i) => path[i] === part)) byIndex.set(index, issue.message);
  }
  return byIndex;
}

/** The field a UNIQUE_VIOLATION is about. */
export function uniqueViolationField(error: unknown): string | undefined {
  if (!(error instanceof ORPCError) || error.code !== 'UNIQUE_VIOLATION') return undefined;
  const parsed = contractErrors.UNIQUE_VIOLATION.data.safeParse(error.data);
  return parsed.success ? parsed.data.field : undefined;
}

/** For CONFLICT: the entity's current version (null when it was deleted meanwhile). */
export function conflictVersion(error: unknown): string | null | undefined {
  if (!(error instanceof ORPCError) || error.code !== 'CONFLICT') return undefined;
  const parsed = contractErrors.CONFLICT.data.safeParse(error.data);
  return parsed.success ? parsed.data.version : null;
}

/** Errors worth retrying automatically: transport hiccups, not answers from the engine. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ORPCError) return error.status >= 500 && error.code !== 'DECODE' && !error.defined;
  return !(error instanceof Error && error.name === 'AbortError');
}
