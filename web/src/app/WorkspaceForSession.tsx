// The workspace selection for whoever is signed in: hands the session's user to
// WorkspaceProvider, so the teams feature needs nothing from auth.
import type { ReactNode } from 'react';
import { useAuth } from '../auth/index.ts';
import { WorkspaceProvider } from '../teams/index.ts';

export function WorkspaceForSession({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  return <WorkspaceProvider userId={user?.id ?? null}>{children}</WorkspaceProvider>;
}
