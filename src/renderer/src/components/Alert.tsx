import type { ReactNode } from 'react';

interface AlertProps {
  kind?: 'error' | 'warning' | 'success' | 'info';
  title?: string;
  children: ReactNode;
  /** Alerts announce themselves; static notes pass false. */
  live?: boolean;
}

/** An inline message inside a view or a dialog. */
export function Alert({ kind = 'info', title, children, live = true }: AlertProps) {
  const role = !live ? undefined : kind === 'error' ? 'alert' : 'status';
  return (
    <div className={`alert alert--${kind}`} role={role}>
      {title ? <strong className="alert__title">{title}</strong> : null}
      <div className="alert__body">{children}</div>
    </div>
  );
}
