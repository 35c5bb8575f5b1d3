import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { AuthForm } from './AuthForm.tsx';
import { ResendConfirmation } from './ResendConfirmation.tsx';
import { useAuth } from './useAuth.ts';
import { redirectTarget } from './redirectTarget.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { appError, type AppError } from '../lib/appError.ts';

export function SignInPage() {
  const { user, signIn, sessionExpired, linkError } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<AppError | null>(null);
  /** The address that tried to sign in before confirming: it may ask for a new link. */
  const [unconfirmed, setUnconfirmed] = useState<string | null>(null);
  const target = redirectTarget(location.state);

  if (user) return <Navigate to={target} replace />;

  const notice = error ?? linkError ?? (sessionExpired ? appError('session_expired') : null);

  return (
    <AuthCard title="Sign in">
      {notice && <ErrorMessage error={{ ...notice, action: undefined }} />}
      {unconfirmed && <ResendConfirmation email={unconfirmed} />}
      <AuthForm
        submitLabel="Sign in" busyLabel="Signing in…" passwordAutocomplete="current-password"
        onEdit={() => setError(null)}
        onSubmit={async ({ email, password }) => {
          const failure = await signIn(email, password);
          setError(failure);
          setUnconfirmed(failure?.code === 'email_not_confirmed' ? email : null);
          if (!failure) navigate(target, { replace: true });
        }}
      />
      <p className="auth-card__switch"><Link to="/forgot-password">Forgot password?</Link></p>
      <p className="auth-card__switch">New here? <Link to="/sign-up" state={location.state}>Create an account</Link></p>
    </AuthCard>
  );
}
