// Sign-up proves the address first: name and e-mail, then a link; the link signs the user in and
// "Choose your password" follows (ChoosePasswordPage). The answer never says whether the address
// already has an account (GoTrue does not tell us either), so "check your email" covers both.
import { useState } from 'react';
import { Link, Navigate, useLocation } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { SignUpForm } from './SignUpForm.tsx';
import { CheckYourEmail } from './CheckYourEmail.tsx';
import { useAuth } from './useAuth.ts';
import { redirectTarget } from './redirectTarget.ts';
import { authErrorField } from './authErrorField.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import type { AppError } from '../lib/appError.ts';
import type { SignUpDetails } from './credentialsSchema.ts';

export function SignUpPage() {
  const { user, signUp } = useAuth();
  const location = useLocation();
  const [error, setError] = useState<AppError | null>(null);
  /** What was sent, once the link went out (kept to send it again). */
  const [sent, setSent] = useState<SignUpDetails | null>(null);
  const target = redirectTarget(location.state);

  if (user) return <Navigate to={target} replace />;

  return (
    <AuthCard title={sent ? 'Almost there' : 'Create your account'}>
      {error && <ErrorMessage error={error} tone={error.code === 'email_rate_limited' ? 'notice' : 'error'} />}
      {sent ? (
        <CheckYourEmail email={sent.email} resend={() => signUp(sent.email, sent.name)} />
      ) : (
        <SignUpForm
          onEdit={() => setError(null)}
          onSubmit={async (details) => {
            const failure = await signUp(details.email, details.name);
            // A field's error goes on the field (SignUpForm); only the rest is shown above the form.
            setError(failure && !authErrorField(failure) ? failure : null);
            if (!failure) setSent(details);
            return failure;
          }}
        />
      )}
      {/* Once the link is sent, "check your email" already offers signing in and a reset. */}
      {!sent && <p className="auth-card__switch">Already have an account? <Link to="/sign-in" state={location.state}>Sign in</Link></p>}
    </AuthCard>
  );
}
