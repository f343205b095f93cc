import { createContext, useContext } from 'react';

export interface ToastAction {
  label: string;
  onClick: () => void;
}

/** A link in a toast (e.g. to the job a toast is about). */
export interface ToastLink {
  label: string;
  href: string;
}

export interface ToastInput {
  kind: 'success' | 'error' | 'info';
  message: string;
  action?: ToastAction;
  link?: ToastLink;
  /** Milliseconds before it goes away on its own; errors stay longer. */
  timeout?: number;
}

export interface ToastApi {
  show: (toast: ToastInput) => void;
  /** An error toast with the message of a failed call. */
  error: (error: unknown, prefix?: string) => void;
}

export const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast needs a ToastProvider');
  return api;
}
