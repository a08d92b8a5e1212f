import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What this boundary holds, for the message ("the packet list"). */
  name: string;
  children: ReactNode;
  /** Ways on besides trying again, e.g. Reload or Close captures. */
  actions?: ReactNode;
  /** A new key (the data the pane shows) clears the error: the pane gets another try. */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  resetKey: unknown;
}

/**
 * A render error in one pane shows a message and a way on, in that pane only: the rest of
 * the page, and the drop target around it, keep working. React catches render errors only
 * in a class component.
 */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { resetKey: props.resetKey, error: null } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.name} failed to render`, error, info.componentStack);
  }

  render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="pane-error" role="alert" data-testid="pane-error">
        <strong>{capitalised(this.props.name)} could not be shown:</strong> {error.message.slice(0, 300)}{' '}
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
        {this.props.actions}
      </div>
    );
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
