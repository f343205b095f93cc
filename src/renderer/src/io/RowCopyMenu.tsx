import { useEffect, useRef } from 'react';
import type { CopyFormat } from './row-copy';

const ITEMS: { format: CopyFormat; label: string }[] = [
  { format: 'tsv', label: 'Copy as TSV (spreadsheets)' },
  { format: 'csv', label: 'Copy as CSV' },
  { format: 'json', label: 'Copy as JSON' },
  { format: 'insert', label: 'Copy as INSERT' },
];

/**
 * The grid's row context menu: copy the row in one of the clipboard formats. Opens at the pointer
 * with its first item focused; arrows move, Escape, a click elsewhere or a choice close it.
 */
export function RowCopyMenu({ at, onCopy, onClose }: { at: { x: number; y: number }; onCopy: (format: CopyFormat) => void; onClose: () => void }) {
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [onClose]);

  return (
    <div
      ref={menu}
      role="menu"
      aria-label="Copy row"
      className="popover row-menu"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(e) => {
        const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
        const i = items.indexOf(document.activeElement as HTMLButtonElement);
        if (e.key === 'Escape') onClose();
        else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
        else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
        else return;
        e.preventDefault();
        e.stopPropagation();
      }}
    >
      {ITEMS.map((item) => (
        <button
          key={item.format}
          type="button"
          role="menuitem"
          className="row-menu__item"
          onClick={() => {
            onCopy(item.format);
            onClose();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}
