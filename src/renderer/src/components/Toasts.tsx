import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../api/errors';
import { type ToastApi, ToastContext, type ToastInput } from './toast-context';

interface Toast extends ToastInput {
  id: number;
}

const MAX_TOASTS = 4;

/** Holds the toasts of the app and shows them in the bottom-right corner. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);

  // Escape dismisses the newest notification, unless something else (a dialog, an editor, a menu) takes it.
  const any = toasts.length > 0;
  useEffect(() => {
    if (!any) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]') !== null) return;
      setToasts((all) => all.slice(0, -1));
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [any]);

  const api = useMemo<ToastApi>(() => {
    const show = (toast: ToastInput) => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-(MAX_TOASTS - 1)), { ...toast, id }]);
    };
    return {
      show,
      error: (error, prefix) => {
        const message = errorMessage(error);
        show({ kind: 'error', message: prefix ? `${prefix}: ${message}` : message });
      },
    };
  }, []);

  return (
    <ToastContext value={api}>
      {children}
      <section className="toasts" aria-label="Notifications">
        {/* Two live regions: errors interrupt, everything else waits its turn. */}
        <div role="alert" className="toasts__list">
          {toasts
            .filter((t) => t.kind === 'error')
            .map((t) => (
              <ToastView key={t.id} toast={t} onDismiss={dismiss} />
            ))}
        </div>
        <div role="status" className="toasts__list">
          {toasts
            .filter((t) => t.kind !== 'error')
            .map((t) => (
              <ToastView key={t.id} toast={t} onDismiss={dismiss} />
            ))}
        </div>
      </section>
    </ToastContext>
  );
}

function ToastView({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [paused, setPaused] = useState(false);
  const timeout = toast.timeout ?? (toast.kind === 'error' ? 10_000 : toast.action || toast.link ? 12_000 : 5_000);
  useEffect(() => {
    if (paused) return;
    const t = window.setTimeout(() => onDismiss(toast.id), timeout);
    return () => window.clearTimeout(t);
  }, [paused, timeout, toast.id, onDismiss]);

  return (
    <div
      className={`toast toast--${toast.kind}`}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast__icon" aria-hidden="true">
        {toast.kind === 'error' ? '!' : toast.kind === 'success' ? '✓' : 'i'}
      </span>
      <p className="toast__message">{toast.message}</p>
      {toast.link ? (
        <a className="button button--small" href={toast.link.href} onClick={() => onDismiss(toast.id)}>
          {toast.link.label}
        </a>
      ) : null}
      {toast.action ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            toast.action?.onClick();
            onDismiss(toast.id);
          }}
        >
          {toast.action.label}
        </button>
      ) : null}
      <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
