// Where a recovery link lands: supabase-js reads the session from the fragment (type=recovery),
// so the user is signed in and sets a new password here. A spent or expired link arrives with
// an error fragment instead: say so and offer a new link.
import { Link, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { useAuth } from './useAuth.ts';
import { NewPasswordForm } from './NewPasswordForm.tsx';
import { FORGOT_PASSWORD_PATH } from './recoveryPaths.ts';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { appError } from '../lib/appError.ts';

export function ResetPasswordPage() {
  const { user, loading, linkError } = useAuth();
  const navigate = useNavigate();

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

  return (
    <AuthCard title="Set a new password">
      <p className="muted">For <strong>{user.email}</strong>. You stay signed in once it is saved.</p>
      <NewPasswordForm formLabel="Set a new password" fieldLabel="New password" submitLabel="Save new password"
        onSaved={() => navigate('/', { replace: true, state: { passwordChanged: true } })} />
    </AuthCard>
  );
}
