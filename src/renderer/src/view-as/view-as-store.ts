import { useSyncExternalStore } from 'react';
import type { Role } from '../../../shared/access';
import type { ViewAs as ViewAsInput } from '../../../shared/contract';
import type { UserId } from '../../../shared/keys/user-id';

/**
 * Whose eyes the data views look through: the admin (everything), a stored user (their own rows of
 * user tables, the shared tables their role may read), or a bare role (no user: what the role alone
 * may read). Kept per window; every rows/tables query carries it as `as`, so it is in their keys.
 */
export type ViewAs =
  | { readonly kind: 'admin' }
  | { readonly kind: 'user'; readonly userId: UserId; readonly username: string; readonly role: Role }
  | { readonly kind: 'role'; readonly role: Role };

export const ADMIN: ViewAs = { kind: 'admin' };

let current: ViewAs = ADMIN;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setViewAs(next: ViewAs): void {
  current = next;
  for (const l of listeners) l();
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
