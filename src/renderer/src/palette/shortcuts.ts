/** Whether this platform's command key is ⌘ (macOS) rather than Ctrl. */
export const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** "Ctrl" or "⌘": how the command modifier is written in labels. */
export const MOD = IS_MAC ? '⌘' : 'Ctrl';

/** The command modifier of a key event: ⌘ on macOS, Ctrl elsewhere. */
export function hasMod(e: { ctrlKey: boolean; metaKey: boolean }): boolean {
  return IS_MAC ? e.metaKey : e.ctrlKey;
}

/** Whether a key event comes from a place that takes text (typing "?" there is typing). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

export interface Shortcut {
  readonly keys: string;
  readonly what: string;
  /** Where it works. */
  readonly where: 'Everywhere' | 'Table';
}

/** Every shortcut of the app: the `?` overlay and the README list these. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: `${MOD}+K`, what: 'Command palette: go to a table, page or job, run a command', where: 'Everywhere' },
  { keys: '?', what: 'This list of shortcuts', where: 'Everywhere' },
  { keys: 'F5', what: 'Refresh what the page shows (not a page reload)', where: 'Everywhere' },
  { keys: 'Escape', what: 'Close a dialog or menu; dismiss the newest notification', where: 'Everywhere' },
  { keys: `${MOD}+W, middle click on a tab`, what: 'Close the current tab (or that tab)', where: 'Everywhere' },
  { keys: `${MOD}+F`, what: 'Filter: add a filter (or edit the first one)', where: 'Table' },
  { keys: '/', what: 'Quick search across the visible text columns', where: 'Table' },
  { keys: 'Delete', what: 'Delete the selected rows (asks first, naming how many)', where: 'Table' },
  { keys: `${MOD}+Enter`, what: 'Apply the staged cell edits', where: 'Table' },
  { keys: `${MOD}+Z`, what: 'Undo the last edit of this table (staged or applied, deletes included)', where: 'Table' },
  { keys: IS_MAC ? '⌘+Shift+Z' : 'Ctrl+Shift+Z, Ctrl+Y', what: 'Redo the edit undone last', where: 'Table' },
  { keys: '↑ ↓ Page Up/Down Home End', what: 'Move the selected row', where: 'Table' },
  { keys: 'Shift+click, Shift+↑ ↓', what: 'Select a range of rows', where: 'Table' },
  { keys: `${MOD}+click`, what: 'Add a row to the selection, or take it out', where: 'Table' },
  { keys: `${MOD}+A`, what: 'Select every loaded row', where: 'Table' },
  { keys: `${MOD}+C`, what: 'Copy the selected rows (TSV with a header, for spreadsheets)', where: 'Table' },
  { keys: `${MOD}+V`, what: 'Paste a TSV block as staged edits; lines past the last row as staged new rows', where: 'Table' },
  { keys: '← →', what: 'Move the active cell (editable tables)', where: 'Table' },
  { keys: 'Enter, F2', what: 'Edit the active cell, or open the row', where: 'Table' },
  { keys: 'Shift+F10, context-menu key', what: 'Actions of the selected row and cell (copy, set NULL, filter by value)', where: 'Table' },
];
