import { ADMIN, setViewAs, useViewAs } from './view-as-store';

/** Across the workspace while viewing as someone else: whose eyes these are, and the way back. */
export function ViewAsBanner() {
  const viewAs = useViewAs();
  if (viewAs.kind === 'admin') return null;
  const who = viewAs.kind === 'user' ? `${viewAs.username} (${viewAs.role})` : `the role ${viewAs.role}`;
  const sees = viewAs.kind === 'user' ? `you see what ${viewAs.username} sees` : `you see what any ${viewAs.role} sees`;
  return (
    <section className="view-as-banner" aria-label="Viewing as">
      <span>
        Viewing as <strong>{who}</strong>: {sees}, and may do only what they may.
      </span>
      <button type="button" className="button button--small" onClick={() => setViewAs(ADMIN)}>
        Back to admin
      </button>
    </section>
  );
}
