// "Forgot password?": asks for the address and mails a link to set a new password. The answer
// is the same whether or not the address has an account, so the page never says which.
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { z } from 'zod';
import { AuthCard } from './AuthCard.tsx';
import { useAuth } from './useAuth.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

const emailSchema = z.string().trim().email('Enter a valid email address, like name@company.com.');

export function ForgotPasswordPage() {
  const { requestPasswordReset } = useAuth();
  const id = useId();
  const [email, setEmail] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const parsed = emailSchema.safeParse(email);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'Enter your email address.');
      return;
    }
    setFieldError(null);
    setBusy(true);
    const failure = await requestPasswordReset(parsed.data);
    setBusy(false);
    setError(failure);
    if (!failure) setSentTo(parsed.data);
  }

  if (sentTo) {
    return (
      <AuthCard title="Check your email">
        <div className="alert alert--info" role="status" data-testid="reset-email-sent">
          <p className="alert__message">
            If <strong>{sentTo}</strong> has an account, we sent it a link to set a new password.
            The link works once, for an hour.
          </p>
        </div>
        <p className="check-email__hint">No email after a minute? Check your spam folder, or send it again.</p>
        <button type="button" className="button button--ghost" onClick={() => setSentTo(null)}>Send it again</button>
        <p className="auth-card__switch"><Link to="/sign-in">Back to sign in</Link></p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Reset your password">
      <p className="muted">Enter the email you signed up with and we will send you a link to set a new password.</p>
      {error && <ErrorMessage error={{ ...error, action: undefined }} />}
      <form className="form" onSubmit={handleSubmit} noValidate aria-label="Reset password">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`} name="email" type="email" autoComplete="email" value={email}
            onChange={(e) => setEmail(e.target.value)} aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? `${id}-email-error` : undefined}
          />
          {fieldError && <p className="field__error" id={`${id}-email-error`}>{fieldError}</p>}
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Sending…' : 'Send reset link'}</button>
      </form>
      <p className="auth-card__switch">Remembered it? <Link to="/sign-in">Sign in</Link></p>
    </AuthCard>
  );
}
