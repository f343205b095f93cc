import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  readonly label: string;
  readonly onSelect: () => void;
  /** Why it is off, or undefined when it can be chosen. */
  readonly disabled?: string | undefined;
  /** A line before this item. */
  readonly separated?: boolean;
}

interface ContextMenuProps {
  label: string;
  items: readonly MenuItem[];
  /** Where it opens (the pointer, or the selected row for the keyboard), in viewport pixels. */
  at: { x: number; y: number };
  onClose: () => void;
}

/**
 * A context menu (ARIA menu): opens with its first item focused; ↑↓ Home End move, Enter or a
 * click chooses, Escape, Tab or a press outside close it and the focus goes back where it was.
 * Kept inside the window.
 */
export function ContextMenu({ label, items, at, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLUListElement>(null);
  const [pos, setPos] = useState(at);
  const onCloseRef = useRef(onClose);
  // What had the focus when the menu opened (read at the first render, before the menu takes it).
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const r = menu.getBoundingClientRect();
    setPos({ x: Math.max(4, Math.min(at.x, window.innerWidth - r.width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - r.height - 4)) });
    menu.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [at]);

  useEffect(() => {
    const onDown = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onCloseRef.current();
    };
    window.addEventListener('pointerdown', onDown, true);
    return () => {
      window.removeEventListener('pointerdown', onDown, true);
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  const move = (from: HTMLElement, step: 1 | -1 | 'first' | 'last') => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = all.indexOf(from);
    const next = step === 'first' ? all[0] : step === 'last' ? all.at(-1) : all[(i + step + all.length) % all.length];
    next?.focus();
  };

  return createPortal(
    <ul
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={label}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={(e) => {
        const item = e.target as HTMLElement;
        if (e.key === 'ArrowDown') move(item, 1);
        else if (e.key === 'ArrowUp') move(item, -1);
        else if (e.key === 'Home') move(item, 'first');
        else if (e.key === 'End') move(item, 'last');
        else if (e.key === 'Escape' || e.key === 'Tab') onClose();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <li key={item.label} role="none" className={item.separated ? 'context-menu__separated' : undefined}>
          <button
            type="button"
            role="menuitem"
            className="context-menu__item"
            tabIndex={-1}
            aria-disabled={item.disabled !== undefined || undefined}
            title={item.disabled}
            onClick={() => {
              if (item.disabled !== undefined) return;
              onClose();
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        </li>
      ))}
    </ul>,
    document.body,
  );
}
