// Route guard: signed-out visitors go to /sign-in, and signed-in users without a password (signed
// up by link) to "Choose your password"; both come back where they were afterwards.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useAuth } from './useAuth.ts';
import { LoadingScreen } from '../ui/LoadingScreen.tsx';
import { CHOOSE_PASSWORD_PATH } from './recoveryPaths.ts';

export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, needsPassword } = useAuth();
  const location = useLocation();
  if (loading || (user && needsPassword === null)) return <LoadingScreen label="Checking your session" />;
  const from = `${location.pathname}${location.search}`;
  if (!user) return <Navigate to="/sign-in" replace state={{ from }} />;
  if (needsPassword) return <Navigate to={CHOOSE_PASSWORD_PATH} replace state={{ from }} />;
  return <>{children}</>;
}
