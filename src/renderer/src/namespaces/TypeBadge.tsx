import type { TableKind } from '../../../shared/contract';

const TITLES: Record<TableKind, string> = {
  system: 'System table',
  shared: 'Shared table: one set of rows, guarded by its access level',
  user: 'User table: every row belongs to one user, who sees only their own',
  stream: 'Stream table: rows expire after a time to live',
};

/** The kind of a table as a small badge; the title explains it. */
export function TypeBadge({ kind }: { kind: TableKind }) {
  return (
    <span className={`type-badge type-badge--${kind}`} title={TITLES[kind]}>
      {kind}
    </span>
  );
}
