type RowMode = 'edit' | 'clone' | 'delete';

interface RowActionsToolbarProps<M extends string> {
  /** The toolbar's accessible name. */
  label: string;
  newLabel: string;
  /** Why nothing can be written (read-only mode, no permission), or undefined when writes are allowed. */
  blocked: string | undefined;
  selectedKey: string | undefined;
  onNew: () => void;
  onRow: (mode: RowMode | M, key: string) => void;
  /** Why Edit is off for this table even with a row selected (stream rows never change). */
  editBlocked?: string | undefined;
  /** Why the selected row can no longer change (a deleted user): Edit, Delete and the extra actions are off; Clone stays. */
  retired?: string | undefined;
  /** Further actions on the selected row, shown between Clone and Delete. */
  extra?: readonly { mode: M; label: string; verb: string }[];
}

/** New / Edit / Clone / (extra) / Delete for the selected row; each disabled button says why in its title. */
export function RowActionsToolbar<M extends string = never>({
  label,
  newLabel,
  blocked,
  selectedKey,
  onNew,
  onRow,
  editBlocked,
  retired,
  extra = [],
}: RowActionsToolbarProps<M>) {
  const noRow = selectedKey === undefined;
  const rowTitle = (verb: string) => blocked ?? (noRow ? `Select a row to ${verb} it` : undefined);
  const rowButton = (mode: RowMode | M, text: string, verb: string, className = 'button', off?: string) => (
    <button
      key={mode}
      type="button"
      className={className}
      // Delete (the key) presses Delete (the button), which asks first: see useViewShortcuts.
      aria-keyshortcuts={mode === 'delete' ? 'Delete' : undefined}
      disabled={blocked !== undefined || noRow || off !== undefined}
      title={off ?? rowTitle(verb)}
      onClick={() => selectedKey !== undefined && onRow(mode, selectedKey)}
    >
      {text}
    </button>
  );

  return (
    <div className="toolbar" role="toolbar" aria-label={label}>
      <button type="button" className="button button--primary" disabled={blocked !== undefined} title={blocked} onClick={onNew}>
        {newLabel}
      </button>
      {rowButton('edit', 'Edit', 'edit', 'button', editBlocked ?? retired)}
      {rowButton('clone', 'Clone', 'clone')}
      {extra.map((action) => rowButton(action.mode, action.label, action.verb, 'button', retired))}
      {rowButton('delete', 'Delete', 'delete', 'button button--danger-outline', retired)}
    </div>
  );
}
