import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { orpc } from '../api/client';
import type { Role } from '../../../shared/access';
import { RoleSchema } from '../../../shared/access';
import type { UserId } from '../../../shared/keys/user-id';
import { ADMIN, AS_OPERATOR, describeViewAs, setViewAs, useViewAs, type ViewAs, viewAsValue } from './view-as-store';

/** Users offered in the picker: the first page of system.users is plenty for an admin tool's list. */
const USERS_LISTED = 200;

const ROLES: readonly Role[] = RoleSchema.options.filter((r) => r !== 'system');

interface UserChoice {
  userId: UserId;
  username: string;
  role: Role;
}

function usersOf(rows: readonly { values: Record<string, unknown> }[]): UserChoice[] {
  const out: UserChoice[] = [];
  for (const { values } of rows) {
    const role = RoleSchema.safeParse(values.role);
    if (values.deleted_at !== null || typeof values.user_id !== 'string' || typeof values.username !== 'string' || !role.success) continue;
    out.push({ userId: values.user_id as UserId, username: values.username, role: role.data });
  }
  return out;
}

/**
 * The "view as" choice in the header: the admin, a stored user, or a bare role. Every data view
 * then shows what that subject may read, and writes as it.
 */
export function ViewAsPicker() {
  const viewAs = useViewAs();
  // Always as the admin: the list of whom to look as must not depend on whom we look as.
  const users = useQuery(orpc.rows.page.queryOptions({ input: { table: 'system.users', request: { limit: USERS_LISTED }, ...AS_OPERATOR } }));
  const choices = useMemo(() => usersOf(users.data?.rows ?? []), [users.data]);

  const choose = (value: string): void => {
    if (value === 'admin') return setViewAs(ADMIN);
    const [kind, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
    if (kind === 'role') {
      const role = RoleSchema.safeParse(id);
      if (role.success) setViewAs({ kind: 'role', role: role.data });
      return;
    }
    const user = choices.find((u) => u.userId === id);
    if (user) setViewAs({ kind: 'user', ...user });
  };

  const value = viewAsValue(viewAs);
  // A chosen user missing from the list (deleted meanwhile) stays selectable until changed.
  const missing: ViewAs | undefined = viewAs.kind === 'user' && !choices.some((u) => u.userId === viewAs.userId) ? viewAs : undefined;

  return (
    <label className={`view-as${viewAs.kind === 'admin' ? '' : ' view-as--active'}`}>
      <span className="view-as__label">View as</span>
      <select
        className="select select--compact"
        value={value}
        title={describeViewAs(viewAs)}
        onChange={(e) => choose(e.target.value)}
        aria-describedby="view-as-help"
      >
        <option value="admin">Admin (everything)</option>
        <optgroup label="Users">
          {choices.map((u) => (
            <option key={u.userId} value={`user:${u.userId}`}>
              {u.username} ({u.role})
            </option>
          ))}
          {missing?.kind === 'user' ? <option value={value}>{missing.username}</option> : null}
        </optgroup>
        <optgroup label="Roles (no user)">
          {ROLES.map((r) => (
            <option key={r} value={`role:${r}`}>
              role {r}
            </option>
          ))}
        </optgroup>
      </select>
      <span id="view-as-help" className="visually-hidden">
        Data views show what this subject may read, and changes are made as it.
      </span>
    </label>
  );
}
