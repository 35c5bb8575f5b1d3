// Renders an AppError as an alert with the next step the user can take.
import { Link } from 'react-router-dom';
import type { AppError } from '../lib/appError.ts';

interface Props {
  error: AppError;
  onRetry?: () => void;
  /** 'notice' for outcomes the user chose (a cancelled payment): same words, calmer colours. */
  tone?: 'error' | 'notice';
  /** Shows a Dismiss button inside the banner (never beside it, where it reads as a page action). */
  onDismiss?: () => void;
}

export function ErrorMessage({ error, onRetry, tone = 'error', onDismiss }: Props) {
  return (
    <div className={`alert ${tone === 'error' ? 'alert--error' : 'alert--notice'}`} role="alert" data-error-code={error.code}>
      <p className="alert__title">{error.title}</p>
      <p className="alert__message">{error.message}</p>
      {error.action === 'retry' && onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>Try again</button>
      )}
      {error.action === 'sign_in' && <Link className="button button--secondary" to="/sign-in">Sign in</Link>}
      {error.action === 'billing' && <Link className="button button--primary" to="/billing">Buy credits</Link>}
      {onDismiss && <button type="button" className="button button--ghost" onClick={onDismiss}>Dismiss</button>}
    </div>
  );
}
