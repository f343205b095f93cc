import { useQueryClient } from '@tanstack/react-query';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { orpc } from '../api/client';
import { errorMessage } from '../api/errors';

interface BoundaryProps {
  children: ReactNode;
  /** Where the app writes its log, shown so the user can report the problem. */
  logPath: () => string | undefined;
  /** Changing this (e.g. the route) clears a shown error. */
  resetKey?: string;
  /** Whole-app boundary (full screen) or one view. */
  scope: 'app' | 'view';
}

interface BoundaryState {
  error: unknown;
  resetKey: string | undefined;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error ?? new Error('Unknown error') };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    if (props.resetKey !== state.resetKey) return { error: undefined, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is the developer's; the user sees the message below.
    console.error('View crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    const logPath = this.props.logPath();
    return (
      <div className={`crash crash--${this.props.scope}`} role="alert">
        <h2 className="crash__title">{this.props.scope === 'app' ? 'Kalam Studio ran into a problem' : 'This view ran into a problem'}</h2>
        <p className="crash__message">{errorMessage(this.state.error)}</p>
        {logPath ? (
          <p className="crash__log">
            Details were written to the log: <code>{logPath}</code>
          </p>
        ) : null}
        <div className="crash__actions">
          <button type="button" className="button button--primary" onClick={() => this.setState({ error: undefined })}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => location.reload()}>
            Reload app
          </button>
        </div>
      </div>
    );
  }
}

/** Shows a readable message and the log path instead of a blank screen when rendering fails. */
export function ErrorBoundary({ children, resetKey, scope = 'view' }: { children: ReactNode; resetKey?: string; scope?: 'app' | 'view' }) {
  const queryClient = useQueryClient();
  const logPath = () => queryClient.getQueryData(orpc.engine.info.queryKey())?.logPath;
  return (
    <Boundary logPath={logPath} scope={scope} {...(resetKey === undefined ? {} : { resetKey })}>
      {children}
    </Boundary>
  );
}
