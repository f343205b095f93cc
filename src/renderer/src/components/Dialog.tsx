import { type ReactNode, useEffect, useId, useRef } from 'react';

interface DialogProps {
  title: string;
  /** Called on Escape, on the close button and on the backdrop. */
  onClose: () => void;
  children: ReactNode;
  /** Buttons shown at the bottom right. */
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
  /** `alertdialog` for confirmations. */
  role?: 'dialog' | 'alertdialog';
  description?: ReactNode;
}

/**
 * A modal dialog on the native <dialog> element: focus is trapped and restored by the browser,
 * Escape asks to close it (onClose decides, e.g. with a discard prompt). Render it only while it
 * is open.
 *
 * Escape is handled on keydown, not through the native `cancel` event: Chromium lets a page cancel
 * that event only once per user activation, so repeated Escapes would end in a native close behind
 * React's back (changes dropped unasked, and the dialog state stuck "open"). Should the element
 * close natively all the same, it is opened again and asked to close the normal way.
 */
export function Dialog({ title, onClose, children, footer, size = 'medium', role = 'dialog', description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const onCloseRef = useRef(onClose);
  const roleRef = useRef(role);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // Forms start at their first field; confirmations keep the browser's choice (the close button).
    if (roleRef.current === 'dialog') {
      dialog.querySelector<HTMLElement>('.dialog__body :is(input:not([type="hidden"]):not([hidden]), select, textarea):not(:disabled)')?.focus();
    }
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    const onNativeClose = () => {
      if (!dialog.isConnected) return;
      dialog.showModal();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${size}`}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      aria-modal="true"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // The innermost dialog answers; the one under it must not close too.
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }}
      onMouseDown={(e) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target !== e.currentTarget) return;
        const r = e.currentTarget.getBoundingClientRect();
        const inside = e.clientX >= r.left && e.clientX <= r.right && e.clientY >= r.top && e.clientY <= r.bottom;
        if (!inside) onClose();
      }}
    >
      <header className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        <button type="button" className="icon-button" aria-label="Close dialog" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="dialog__body">
        {description ? (
          <div id={descId} className="dialog__description">
            {description}
          </div>
        ) : null}
        {children}
      </div>
      {footer ? <footer className="dialog__footer">{footer}</footer> : null}
    </dialog>
  );
}
