// Last line of defence against a blank screen: a render error shows a message and a way back.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State { failed: boolean }

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Unexpected render error', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="fatal-screen" role="alert">
        <h1>Something went wrong</h1>
        <p>The page hit an unexpected problem. Your credits and interviews are safe.</p>
        <button type="button" className="button button--primary" onClick={() => window.location.assign('/')}>Reload the app</button>
      </main>
    );
  }
}
