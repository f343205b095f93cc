import type { Row } from '../../../shared/browse';

export interface OwnerChoice {
  readonly userId: string;
  readonly username: string;
}

/** Live users of a page of system.users (deleted ones cannot own new rows). */
export function ownerChoices(...pages: (readonly Row[] | undefined)[]): OwnerChoice[] {
  const seen = new Map<string, OwnerChoice>();
  for (const rows of pages) {
    for (const { values } of rows ?? []) {
      if (values.deleted_at !== null || typeof values.user_id !== 'string' || typeof values.username !== 'string') continue;
      if (!seen.has(values.user_id)) seen.set(values.user_id, { userId: values.user_id, username: values.username });
    }
  }
  return [...seen.values()].sort((a, b) => a.username.localeCompare(b.username));
}
