import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { AuthForm } from './AuthForm.tsx';
import { useAuth } from './useAuth.ts';
import { redirectTarget } from './redirectTarget.ts';
import { ErrorMessage } from '../lib/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

export function SignUpPage() {
  const { user, signUp } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<AppError | null>(null);
  const [confirmEmail, setConfirmEmail] = useState(false);
  const target = redirectTarget(location.state);

  if (user) return <Navigate to={target} replace />;

  return (
    <AuthCard title="Create your account">
      {error && <ErrorMessage error={error} />}
      {confirmEmail ? (
        <p className="alert alert--info" role="status">Check your inbox: we sent a link to confirm your email, then sign in.</p>
      ) : (
        <AuthForm
          submitLabel="Create account" busyLabel="Creating account…" passwordAutocomplete="new-password"
          onSubmit={async ({ email, password }) => {
            const result = await signUp(email, password);
            setError(result.error);
            if (result.error) return;
            if (result.needsConfirmation) setConfirmEmail(true);
            else navigate(target, { replace: true });
          }}
        />
      )}
      <p className="auth-card__switch">Already have an account? <Link to="/sign-in" state={location.state}>Sign in</Link></p>
    </AuthCard>
  );
}
