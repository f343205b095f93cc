import { type RefObject, useEffect } from 'react';
import { hasMod, IS_MAC, isTyping } from './shortcuts';

/** The aria-keyshortcuts value of the command modifier with a key: "Control+Enter" or "Meta+Enter". */
export function modShortcut(key: string): string {
  return `${IS_MAC ? 'Meta' : 'Control'}+${key}`;
}

/** The aria-keyshortcuts name of a key event ("Delete", "Control+F"), or undefined for keys no button takes. */
function shortcutOf(e: KeyboardEvent): string | undefined {
  // Undo and redo of the view's edits; in a text field they are the field's own.
  if (hasMod(e) && !e.altKey && !isTyping(e.target)) {
    const key = e.key.toLowerCase();
    if (key === 'z') return modShortcut(e.shiftKey ? 'Shift+Z' : 'Z');
    if (key === 'y' && !e.shiftKey && !IS_MAC) return 'Control+Y';
  }
  if (e.altKey || e.shiftKey) return undefined;
  if (hasMod(e)) {
    if (e.key === 'Enter') return modShortcut('Enter');
    if (e.key.toLowerCase() === 'f') return modShortcut('F');
    return undefined;
  }
  // Delete and / outside text fields only: there they edit the text.
  if (e.key === 'Delete' && !isTyping(e.target)) return 'Delete';
  if (e.key === '/' && !isTyping(e.target)) return '/';
  return undefined;
}

/**
 * A view's keyboard shortcuts come from its buttons: a button that declares a shortcut in
 * `aria-keyshortcuts` (Delete on the Delete button, Ctrl+Enter on Apply changes, Ctrl+F on Add
 * filter, Ctrl+Z on Undo) is pressed by it, and a field that declares one (`/` on the quick search) is focused, unless it is disabled (the button's own gate says why) or a dialog is
 * open. So what a key does is what the button does, with the same confirmation.
 */
export function useViewShortcuts(view: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]') !== null) return;
      const shortcut = shortcutOf(e);
      if (shortcut === undefined) return;
      const controls = view.current?.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button[aria-keyshortcuts], input[aria-keyshortcuts]') ?? [];
      const control = [...controls].find((b) => b.getAttribute('aria-keyshortcuts')?.split(' ').includes(shortcut));
      if (!control) return;
      // The browser's own Ctrl+F (find in page) gives way only where a filter can be added.
      e.preventDefault();
      if (control.disabled) return;
      // A field with a shortcut (the quick search) takes the focus; a button is pressed.
      if (control instanceof HTMLInputElement) control.focus();
      else control.click();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [view]);
}
