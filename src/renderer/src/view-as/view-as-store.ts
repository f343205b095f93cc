import { useSyncExternalStore } from 'react';
import type { Role } from '../../../shared/access';
import type { ViewAs as ViewAsInput } from '../../../shared/contract';
import type { UserId } from '../../../shared/keys/user-id';

/**
 * Whose eyes the data views look through: the admin (everything), a stored user (their own rows of
 * user tables, the shared tables their role may read), or a bare role (no user: what the role alone
 * may read). Kept per window. Every call carries it as `as` (api/subject-link.ts), and a change
 * resets every cached query (main.tsx), so nothing shown was read as another subject.
 */
export type ViewAs =
  | { readonly kind: 'admin' }
  | { readonly kind: 'user'; readonly userId: UserId; readonly username: string; readonly role: Role }
  | { readonly kind: 'role'; readonly role: Role };

export const ADMIN: ViewAs = { kind: 'admin' };

/**
 * The `as` of a call made for the person running the app rather than for the subject viewed as:
 * the controls that choose the subject or guard the whole process (the picker's user list, the
 * read-only switch). View-as is a preview of another subject's rights, not a login (README).
 */
export const AS_OPERATOR = { as: undefined } as const;

let current: ViewAs = ADMIN;
const listeners = new Set<() => void>();
/** Run before views hear of a change: caches of the old subject go first. */
const beforeChange = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setViewAs(next: ViewAs): void {
  if (viewAsValue(next) === viewAsValue(current)) return;
  current = next;
  for (const hook of beforeChange) hook();
  for (const l of listeners) l();
}

/** Calls `hook` on every change of subject, before any view re-renders; returns the unsubscribe function. */
export function onViewAsChange(hook: () => void): () => void {
  beforeChange.add(hook);
  return () => beforeChange.delete(hook);
}

export function getViewAs(): ViewAs {
  return current;
}

export function useViewAs(): ViewAs {
  return useSyncExternalStore(subscribe, getViewAs);
}

/** A short label: "admin", "alice (user)", "role service". */
export function describeViewAs(v: ViewAs): string {
  switch (v.kind) {
    case 'admin':
      return 'admin';
    case 'user':
      return `${v.username} (${v.role})`;
    case 'role':
      return `role ${v.role}`;
  }
}

/** The value of the picker's <select> for a subject, and back. */
export function viewAsValue(v: ViewAs): string {
  return v.kind === 'admin' ? 'admin' : v.kind === 'user' ? `user:${v.userId}` : `role:${v.role}`;
}

/** The `as` field of a request: absent for the admin, so admin queries keep their plain keys. */
export function asField(v: ViewAs): { as?: ViewAsInput } {
  switch (v.kind) {
    case 'admin':
      return {};
    case 'user':
      return { as: { userId: v.userId } };
    case 'role':
      return { as: { userId: null, role: v.role } };
  }
}
