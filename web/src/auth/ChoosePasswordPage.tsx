// "Choose your password": where a signed-in user without one lands (RequireAuth sends them), e.g.
// right after the sign-up link. Sign-up proves the address first and the password comes after, so
// a password typed by someone else before the owner confirmed never becomes the account's.
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthCard } from './AuthCard.tsx';
import { useAuth } from './useAuth.ts';
import { NewPasswordForm } from './NewPasswordForm.tsx';
import { redirectTarget } from './redirectTarget.ts';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';

export function ChoosePasswordPage() {
  const { user, loading, needsPassword } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const target = redirectTarget(location.state);

  if (loading || (user && needsPassword === null)) return <LoadingScreen label="Checking your session" />;
  if (!user) return <Navigate to="/sign-in" replace />;
  if (!needsPassword) return <Navigate to={target} replace />;

  return (
    <AuthCard title="Choose your password">
      <p className="muted">
        Your address <strong>{user.email}</strong> is confirmed and you are signed in.
        Choose a password to sign in with next time.
      </p>
      <NewPasswordForm formLabel="Choose your password" fieldLabel="Password" submitLabel="Save password"
        onSaved={() => navigate(target, { replace: true })} />
    </AuthCard>
  );
}
