// Where a recovery link lands: supabase-js reads the session from the fragment (type=recovery),
// so the user is signed in and sets a new password here. A spent or expired link arrives with
// an error fragment instead: say so and offer a new link.
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { useAuth } from './useAuth.ts';
import { signUpSchema } from './credentialsSchema.ts';
import { FORGOT_PASSWORD_PATH } from './recoveryPaths.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { appError, type AppError } from '../lib/appError.ts';

const passwordSchema = signUpSchema.shape.password;

export function ResetPasswordPage() {
  const { user, loading, linkError, updatePassword } = useAuth();
  const navigate = useNavigate();
  const id = useId();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  if (loading) return <LoadingScreen label="Opening your link" />;
  if (!user) {
    return (
      <AuthCard title="Set a new password">
        <ErrorMessage error={{ ...(linkError ?? appError('link_expired')), message: 'Password links work once and only for an hour. Ask for a new one.', action: undefined }} />
        <Link className="button button--primary" to={FORGOT_PASSWORD_PATH}>Send a new link</Link>
        <p className="auth-card__switch"><Link to="/sign-in">Back to sign in</Link></p>
      </AuthCard>
    );
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message ?? 'Choose a new password.');
      return;
    }
    setFieldError(null);
    setBusy(true);
    const failure = await updatePassword(parsed.data);
    setBusy(false);
    setError(failure);
    if (!failure) navigate('/', { replace: true, state: { passwordChanged: true } });
  }

  return (
    <AuthCard title="Set a new password">
      <p className="muted">For <strong>{user.email}</strong>. You stay signed in once it is saved.</p>
      {error && <ErrorMessage error={{ ...error, action: undefined }} />}
      <form className="form" onSubmit={handleSubmit} noValidate aria-label="Set a new password">
        <div className="field">
          <label htmlFor={`${id}-password`}>New password</label>
          <input
            id={`${id}-password`} name="password" type="password" autoComplete="new-password" value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={Boolean(fieldError)}
            aria-describedby={fieldError ? `${id}-password-error` : `${id}-password-hint`}
          />
          {fieldError
            ? <p className="field__error" id={`${id}-password-error`}>{fieldError}</p>
            : <p className="field__hint muted" id={`${id}-password-hint`}>At least 8 characters.</p>}
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>{busy ? 'Saving…' : 'Save new password'}</button>
      </form>
    </AuthCard>
  );
}
