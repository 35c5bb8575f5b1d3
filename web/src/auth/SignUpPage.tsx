import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { AuthForm } from './AuthForm.tsx';
import { CheckYourEmail } from './CheckYourEmail.tsx';
import { useAuth } from './useAuth.ts';
import { redirectTarget } from './redirectTarget.ts';
import { authErrorField } from './authErrorField.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';

export function SignUpPage() {
  const { user, signUp } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [error, setError] = useState<AppError | null>(null);
  /** The address a confirmation link went to, once sign-up asked for one. */
  const [sentTo, setSentTo] = useState<string | null>(null);
  const target = redirectTarget(location.state);

  if (user) return <Navigate to={target} replace />;

  return (
    <AuthCard title={sentTo ? 'Almost there' : 'Create your account'}>
      {error && <ErrorMessage error={error} />}
      {sentTo ? (
        <CheckYourEmail email={sentTo} />
      ) : (
        <AuthForm
          submitLabel="Create account" busyLabel="Creating account…" passwordAutocomplete="new-password"
          onEdit={() => setError(null)}
          onSubmit={async ({ email, password }) => {
            const result = await signUp(email, password);
            if (result.error) {
              // A field's error goes on the field (AuthForm); only the rest is shown above the form.
              setError(authErrorField(result.error) ? null : result.error);
              return result.error;
            }
            setError(null);
            if (result.needsConfirmation) setSentTo(email);
            else navigate(target, { replace: true });
            return null;
          }}
        />
      )}
      <p className="auth-card__switch">Already have an account? <Link to="/sign-in" state={location.state}>Sign in</Link></p>
    </AuthCard>
  );
}
